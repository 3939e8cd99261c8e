//! Path parameters that agree with the path template's variables, as sloppy documents need.
//! (A path key without its leading `/` is fixed when the document is loaded.)

use openapiv3::{Parameter, ReferenceOr};

use crate::ir::build::Builder;

impl Builder<'_> {
    /// Make the path parameters agree with the template, as sloppy documents need: a declared
    /// path parameter that the template does not name is dropped (a server would otherwise
    /// require what no client sends), and a template variable without a declaration gets a
    /// required string parameter; each with a warning.
    pub(crate) fn match_path_template(
        &mut self,
        path: &str,
        ptr: &str,
        resolved: &mut Vec<(Parameter, String)>,
    ) {
        let path_part = path.split(['?', '#']).next().unwrap_or(path);
        let variables: Vec<&str> = path_part
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        let mut kept = Vec::with_capacity(resolved.len());
        for (p, pptr) in std::mem::take(resolved) {
            if let Parameter::Path { parameter_data, .. } = &p {
                if !variables.contains(&parameter_data.name.as_str()) {
                    self.warning(
                        &pptr,
                        format!(
                            "path parameter `{}` is not in the path `{path}`; it is ignored",
                            parameter_data.name
                        ),
                        "add `{name}` to the path or move the parameter to the query",
                    );
                    continue;
                }
            }
            kept.push((p, pptr));
        }
        for &variable in &variables {
            let declared = kept.iter().any(|(p, _)| {
                matches!(p, Parameter::Path { parameter_data, .. } if parameter_data.name == variable)
            });
            if declared {
                continue;
            }
            self.warning(
                ptr,
                format!("the path `{path}` names `{{{variable}}}`, which no path parameter declares; it is a required string"),
                "declare the parameter (`in: path`, `required: true`, with a schema)",
            );
            let parameter_data = openapiv3::ParameterData {
                name: variable.to_owned(),
                description: None,
                required: true,
                deprecated: None,
                format: openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(
                    openapiv3::Schema {
                        schema_data: Default::default(),
                        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                            Default::default(),
                        )),
                    },
                )),
                example: None,
                examples: Default::default(),
                explode: None,
                extensions: Default::default(),
            };
            // Before the first declared path parameter that comes later in the path.
            let position = |name: &str| variables.iter().position(|v| *v == name);
            let mine = position(variable);
            let at = kept
                .iter()
                .position(|(p, _)| match p {
                    Parameter::Path { parameter_data, .. } => position(&parameter_data.name) > mine,
                    _ => false,
                })
                .unwrap_or(kept.len());
            kept.insert(
                at,
                (
                    Parameter::Path {
                        parameter_data,
                        style: openapiv3::PathStyle::Simple,
                    },
                    ptr.to_owned(),
                ),
            );
        }
        *resolved = kept;
    }
}
