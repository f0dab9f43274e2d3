//! Rules about what trains a model: the conditionally required attributes and the
//! references of data to models (`unknown-reference`),
//! `training-data-mismatch`, `classification-below-training-data`, `personal-data-in-training`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit, bounded};
use crate::edits::line_indent;
use crate::model::NamedBlock as _;
use crate::model::{Classification, Data, Hosting, Model, Training};
use crate::schema::nearest;

/// The training data that reaches `model`, with the most sensitive classification among it.
fn training_data<'a>(cx: &'a Context<'_>, model: &Model<'_>) -> Vec<&'a Data<'a>> {
    cx.workload
        .data
        .iter()
        .filter(|data| data.trains())
        .filter(|data| {
            cx.workload
                .models_reached_by(data)
                .iter()
                .any(|reached| std::ptr::eq(reached.block, model.block))
        })
        .collect()
}

fn most_sensitive<'a>(data: &[&'a Data<'a>]) -> Option<(&'a Data<'a>, Classification)> {
    data.iter()
        .filter_map(|d| d.classification.as_ref().map(|c| (*d, c.value)))
        .max_by_key(|(_, classification)| *classification)
}

/// `classification` on tuned or trained models; `model` on training data when there are
/// several models, and that it names a model of the workload.
pub fn conditional_attributes(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for model in &cx.workload.models {
        if model.training() == Training::None || model.classification.is_some() {
            continue;
        }
        if model.block.attribute("classification").is_some() {
            continue; // present but invalid: already reported
        }
        let mut diagnostic = Diagnostic::new(
            Code::MissingAttribute,
            model.anchor(),
            format!(
                "model \"{}\" is {} and needs a `classification`: a model carries the classification of the data it learnt from",
                model.display_name(),
                model.training().describe()
            ),
        );
        if let Some((_, classification)) = most_sensitive(&training_data(cx, model)) {
            let attribute = model
                .block
                .attribute("training")
                .expect("training was read from it");
            let indent = line_indent(cx.text, attribute.range.start);
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Add `classification = {}`", classification.name()),
                edits: vec![TextEdit::insert(
                    attribute.range.end,
                    format!("\n{indent}classification = {}", classification.name()),
                )],
                safe: true,
            });
        }
        out.push(diagnostic);
    }

    for model in &cx.workload.models {
        let self_hosted = model
            .hosting
            .as_ref()
            .is_some_and(|h| h.value == Hosting::SelfHosted);
        if !self_hosted
            || model.training() == Training::FromScratch
            || model.block.attribute("origin").is_some()
        {
            continue;
        }
        out.push(Diagnostic::new(
            Code::MissingAttribute,
            model.anchor(),
            format!(
                "model \"{}\" is self-hosted and needs an `origin`: say where its weights come from (`public_hub`, `vendor`, `own` or `provider`), so their provenance can be checked",
                model.display_name()
            ),
        ));
    }

    for data in &cx.workload.data {
        if let Some(name) = &data.model {
            if cx.workload.model(&name.value).is_none() {
                let names = cx
                    .workload
                    .models
                    .iter()
                    .filter_map(|m| m.name.as_ref())
                    .map(|n| n.value.as_str());
                let mut diagnostic = Diagnostic::new(
                    Code::UnknownReference,
                    name.range,
                    format!(
                        "data \"{}\" names model \"{}\", but this workload has no model of that name",
                        data.display_name(),
                        bounded(&name.value)
                    ),
                );
                if let Some(suggestion) = nearest(&name.value, names) {
                    diagnostic.append_to_message(&format!("; did you mean \"{suggestion}\"?"));
                    diagnostic = diagnostic.with_fix(Fix {
                        title: format!("Rename to \"{suggestion}\""),
                        edits: vec![TextEdit::replace(name.range, format!("\"{suggestion}\""))],
                        safe: false,
                    });
                }
                out.push(diagnostic);
            }
        } else if data.trains() && cx.workload.models.len() > 1 {
            out.push(Diagnostic::new(
                Code::MissingAttribute,
                data.anchor(),
                format!(
                    "data \"{}\" is used for {} and the workload has several models: name the one it reaches with `model = \"…\"`",
                    data.display_name(),
                    data.use_.as_ref().map_or("training", |u| u.value.name())
                ),
            ));
        }
    }
}

pub fn training_data_mismatch(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Data that trains a model whose `training` says otherwise.
    for data in &cx.workload.data {
        let Some(use_) = &data.use_ else { continue };
        let Some(implied) = use_.value.training() else {
            continue;
        };
        for model in cx.workload.models_reached_by(data) {
            if model.training() == implied {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::TrainingDataMismatch,
                use_.range,
                format!(
                    "data \"{}\" has `use = {}`, but model \"{}\" declares `training = {}`: {} data implies `training = {}`",
                    data.display_name(),
                    use_.value.name(),
                    model.display_name(),
                    model.training().name(),
                    use_.value.name(),
                    implied.name()
                ),
            )
            .with_related(model.anchor(), "the model it reaches");
            if let Some(fix) = set_training(cx.text, model, implied) {
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(diagnostic);
        }
    }
    // Tuned or trained models without any data that tuned or trained them.
    for model in &cx.workload.models {
        let Some(expected_use) = model.training().data_use() else {
            continue;
        };
        let reached_by_matching_data = cx.workload.data.iter().any(|data| {
            data.use_.as_ref().is_some_and(|u| u.value == expected_use)
                && cx
                    .workload
                    .models_reached_by(data)
                    .iter()
                    .any(|m| std::ptr::eq(m.block, model.block))
        });
        let unresolved_training_data = cx
            .workload
            .data
            .iter()
            .any(|d| d.trains() && d.model.is_none() && cx.workload.models.len() > 1);
        if reached_by_matching_data || unresolved_training_data {
            continue;
        }
        let training = model.training.as_ref().expect("training is not none");
        out.push(Diagnostic::new(
            Code::TrainingDataMismatch,
            training.range,
            format!(
                "model \"{}\" declares `training = {}` but no data with `use = {}` reaches it: declare the data it learnt from, so its classification can be checked",
                model.display_name(),
                training.value.name(),
                expected_use.name()
            ),
        ));
    }
}

fn set_training(text: &str, model: &Model<'_>, training: Training) -> Option<Fix> {
    let title = format!(
        "Set `training = {}` on model \"{}\"",
        training.name(),
        model.display_name()
    );
    let edit = match &model.training {
        Some(existing) => TextEdit::replace(existing.range, training.name()),
        None => {
            let hosting = model.block.attribute("hosting")?;
            let indent = line_indent(text, hosting.range.start);
            TextEdit::insert(
                hosting.range.end,
                format!("\n{indent}training = {}", training.name()),
            )
        }
    };
    Some(Fix {
        title,
        edits: vec![edit],
        safe: false,
    })
}

pub fn classification_below_training_data(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for model in &cx.workload.models {
        let Some(classification) = &model.classification else {
            continue;
        };
        if model.training() == Training::None {
            continue;
        }
        let data = training_data(cx, model);
        let Some((source, required)) = most_sensitive(&data) else {
            continue;
        };
        if classification.value >= required {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::ClassificationBelowTrainingData,
                classification.range,
                format!(
                    "model \"{}\" is classified `{}` but learnt from data \"{}\" classified `{}`: a tuned or trained model can reveal its training data, so it takes that data's classification",
                    model.display_name(),
                    classification.value.name(),
                    source.display_name(),
                    required.name()
                ),
            )
            .with_related(source.anchor(), "the most sensitive training data")
            .with_fix(Fix {
                title: format!("Raise the classification to `{}`", required.name()),
                edits: vec![TextEdit::replace(classification.range, required.name())],
                safe: false,
            }),
        );
    }
}

pub fn personal_data_in_training(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for data in &cx.workload.data {
        let (Some(personal), Some(use_)) = (&data.personal_data, &data.use_) else {
            continue;
        };
        if !personal.value || use_.value.training().is_none() {
            continue;
        }
        out.push(Diagnostic::new(
            Code::PersonalDataInTraining,
            personal.range,
            format!(
                "data \"{}\" holds personal data and is used for {}: once learnt it can only be removed by retraining; prefer retrieving it at inference time (`use = rag`)",
                data.display_name(),
                use_.value.name()
            ),
        ));
    }
}
