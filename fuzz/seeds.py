#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into fuzz/seeds/ (one file each): the examples,
the `bad` and `good` files of every rule in server/analysis/src/catalog/rules.toml and the inputs of the
grammar's corpus tests, suppressions in every place a comment can be (after `{`, after a
one-line block, after two items on a line, on a line of their own), and the project
configurations of the examples and tests, and the infrastructure fixtures of tests/fixtures/iac/;
agents and tools: the agent examples, the rules' fixtures, and agents at every agency scope,
delegating in chains and cycles, with every effect, and controls in the wrong place."""

import pathlib
import re
import shutil
import tomllib

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
OUT = FUZZ / "seeds"


def corpus_inputs(text):
    """The input of each test in a tree-sitter corpus file."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if re.fullmatch(r"=+\S*\s*", lines[i]) and i + 2 < len(lines):
            # ===, title (and attributes), ===; then the input up to a line of dashes.
            j = i + 1
            while j < len(lines) and not re.fullmatch(r"=+\S*\s*", lines[j]):
                j += 1
            j += 1
            body = []
            while j < len(lines) and not re.fullmatch(r"-{3,}\S*\s*", lines[j]):
                body.append(lines[j])
                j += 1
            yield "".join(body).strip("\n") + "\n"
            i = j
        i += 1


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    seeds = {}
    for path in sorted((ROOT / "examples").glob("*.genai")):
        seeds[f"example-{path.stem}"] = path.read_text()
    for path in sorted((ROOT / "examples/agents").glob("*.genai")):
        seeds[f"example-agents-{path.stem}"] = path.read_text()
    # One fixture per diagnostic code, agent ones included.
    for path in sorted((ROOT / "server/analysis/tests/fixtures/rules").glob("*.genai")):
        seeds[f"fixture-{path.stem}"] = path.read_text()
    rules = tomllib.loads((ROOT / "server/analysis/src/catalog/rules.toml").read_text())
    for rule in rules["rule"]:
        for kind in ("bad", "good"):
            if rule.get(kind):
                seeds[f"rule-{rule['code']}-{kind}"] = rule[kind]
    for path in sorted((ROOT / "grammar/test/corpus").glob("*.txt")):
        for n, text in enumerate(corpus_inputs(path.read_text())):
            seeds[f"corpus-{path.stem}-{n:02}"] = text
    # Suppressions where formatting and fixes could move them off the line they cover.
    ignore = '# genai-scope: ignore[{}] reason="r"'
    suppressions = {
        "after-brace": f'workload "w" {{  {ignore.format("invalid-value")}\n  audience = martians\n}}\n',
        "after-brace-no-model": f'workload "w" {{ {ignore.format("no-model")}\n}}\n',
        "after-one-line-block": f'workload "w" {{\n  owner = "o"\n  model "m" {{ hosting = bogus }} {ignore.format("invalid-value")}\n}}\n',
        "after-two-items": f'workload "w" {{\n  owner = "o" audience = martians {ignore.format("invalid-value")}\n}}\n',
        "own-line": f'{ignore.format("missing-control")}\nworkload "w" {{\n  owner = "o"\n  scope = 3\n}}\n',
        "in-list": f'workload "w" {{\n  owner = "o"\n  regions = [ {ignore.format("invalid-value")}\n    "x",\n  ]\n}}\n',
    }
    for name, text in suppressions.items():
        seeds[f"suppression-{name}"] = text
    # Format version 2: every new attribute, valid and not, in lists and out of them.
    version2 = {
        "all-attributes": 'workload "w" {\n  owner = "o"\n  stage = prototype\n  access = anonymous\n  outputs = [shown, rendered, stored, executed, downstream, training]\n  data_residency = "EU"\n  model "m" {\n    hosting = self_hosted\n    origin = public_hub\n    inference = false\n    resource = "aws_instance.gpu"\n  }\n  data "d" {\n    classification = confidential\n    use = rag\n    origin = web\n    model = "m"\n    resource = "aws_s3_bucket.kb"\n  }\n}\n',
        "wrong-values": 'workload "w" {\n  owner = "o"\n  stage = Production\n  outputs = stored\n  access = [anonymous]\n  model "m" {\n    hosting = managed_api\n    inference = yes\n    origin = "vendor"\n  }\n  data "d" {\n    classification = internal\n    use = RAG\n    origin = [users, 3]\n    model = "nope"\n  }\n}\n',
        "mixed-models": 'workload "w" {\n  owner = "o"\n  model "a" { hosting = consumer_app }\n  model "b" {\n    hosting = managed_api\n    training = fine_tuned\n    classification = internal\n    inference = false\n  }\n  data "d" {\n    classification = internal\n    use = fine_tuning\n    model = "b"\n  }\n  data "p" {\n    classification = confidential\n    personal_data = true\n    use = prompt\n  }\n}\n',
        "no-workload": "# nothing but a comment\nowner = \"o\"\nstage = prototype\n",
    }
    for name, text in version2.items():
        seeds[f"v2-{name}"] = text
    # Agents and tools: the agency inference's branches, delegation, every attribute valid and
    # not, and controls where they do not belong.
    head = 'workload "w" {\n  owner = "o"\n  model "m" { hosting = managed_api }\n'
    agents = {
        "every-effect": head + '  agent "a" {\n    model = "m"\n    memory = persistent\n    approval = required\n'
        + "".join(f'    tool "{e}" {{ effect = {e} }}\n' for e in ("read", "write", "delete", "send", "execute", "pay"))
        + '    tool "out" {\n      effect = send\n      audience = external\n      approval = none\n    }\n  }\n}\n',
        "self-started": head + '  agent "s" {\n    initiation = self\n    agency_scope = 4\n    tool "t" { effect = read }\n    control agent.kill_switch { status = planned }\n  }\n}\n',
        "delegation-chain": head + "".join(
            f'  agent "a{i}" {{\n    delegates_to = ["a{i + 1}"]\n    tool "t" {{ effect = read }}\n  }}\n' for i in range(5)
        ) + '  agent "a5" {\n    tool "pay" { effect = pay }\n  }\n}\n',
        "delegation-cycle": head + '  agent "a" { delegates_to = ["b"] }\n  agent "b" { delegates_to = ["a", "a", "c"] }\n  agent "c" { delegates_to = ["c"] }\n}\n',
        "wrong-values": head + '  agent "a" {\n    model = "nope"\n    initiation = robot\n    approval = maybe\n    memory = [session]\n    delegates_to = "b"\n    agency_scope = 9\n    tool "t" {\n      effect = teleport\n      audience = everyone\n    }\n    tool "t" { approval = required }\n    tool { effect = read }\n  }\n  agent "a" {}\n  tool "stray" { effect = read }\n}\n',
        "misplaced-controls": head + '  control identity.user_context { status = planned }\n  agent "a" {\n    tool "t" { effect = write }\n    control risk.threat_model { evidence = "docs/tm.md" }\n    control identity.user_context { status = not_applicable }\n    control perimeter.action_limits { max_actions = 0 }\n    control orchestration.step_limits { max_steps = "ten" }\n    control agent.nope {}\n    model "m2" { hosting = consumer_app }\n  }\n}\n',
        "nested-deep": head + '  agent "a" {\n    tool "t" {\n      effect = read\n      tool "u" { effect = pay }\n    }\n  }\n}\n',
    }
    for name, text in agents.items():
        seeds[f"agent-{name}"] = text
    seeds["config-agentic"] = (
        '[[control]]\nid = "perimeter.refund_ceiling"\ntitle = "T"\nsummary = "S"\nagency_scopes = [3, 4]\n'
        'agent_when = ["tool_changes_things", "approval_required"]\nseverity = "error"\n'
    )
    seeds["config-conditions-list"] = (
        '[[control]]\nid = "controls.sql_sandbox"\ntitle = "T"\nsummary = "S"\nscopes = [3]\n'
        'when = ["output_executed", "in_production"]\nseverity = "error"\n'
    )
    # Project configurations, for the `config` target (the others take them as odd input).
    for path in [ROOT / "examples/team-policy/genai-scope.toml", ROOT / "tests/fixtures/custom-controls.toml"]:
        seeds[f"config-{path.parent.name}"] = path.read_text()
    # Infrastructure code, for the `iac_readers` target.
    for path in sorted((ROOT / "tests/fixtures/iac").rglob("*")):
        if path.is_file() and path.suffix in (".tf", ".json", ".yaml", ".yml"):
            relative = path.relative_to(ROOT / "tests/fixtures/iac")
            seeds["iac-" + "-".join(relative.parts)] = path.read_text()
    for name, text in seeds.items():
        (OUT / name).write_text(text)
    print(f"{len(seeds)} seeds in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
