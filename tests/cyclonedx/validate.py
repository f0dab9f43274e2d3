"""Validates CycloneDX JSON files strictly against the CycloneDX 1.6 schema (the one that
cyclonedx-python-lib bundles); prints one line per file and exits 1 if any is invalid."""
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

validator = JsonStrictValidator(SchemaVersion.V1_6)
invalid = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        error = validator.validate_str(file.read())
    if error is None:
        print(f"[cyclonedx] {path}: valid CycloneDX 1.6 (strict)")
        continue
    invalid += 1
    detail = getattr(error, "data", None)
    message = getattr(detail, "message", None) or str(error).splitlines()[0]
    where = getattr(detail, "json_path", "")
    print(f"[cyclonedx] {path}: INVALID at {where}: {message}")
sys.exit(1 if invalid else 0)
