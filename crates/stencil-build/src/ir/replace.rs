//! Schemas replaced by the user's own Rust types (`Options::type_replacements`): each named
//! schema becomes an alias of the given path, so every field, parameter and body using it uses
//! the user's type.

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{Api, TypeKind};

/// Replace each schema named in `replacements` (its key under `components/schemas`, or its
/// generated Rust name) by the Rust type path beside it (already checked to be a type). A
/// generic type cannot be replaced (an error); a schema that does not exist is a warning.
pub fn replace_types(
    api: &mut Api,
    replacements: &[(String, String)],
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for (schema, path) in replacements {
        let pointer = crate::diag::join("/components/schemas", schema);
        let found = api
            .types
            .iter_mut()
            .find(|t| t.origin == pointer || t.name == *schema);
        match found {
            Some(def) if def.generics.is_empty() => {
                def.kind = TypeKind::External(path.clone());
            }
            Some(def) => errors.push(Diagnostic::error(
                def.origin.clone(),
                format!("type replacement for `{schema}`: generic types cannot be replaced"),
            )),
            None => warnings.push(
                Diagnostic::warning(
                    pointer,
                    format!("type replacement for `{schema}`: no such schema"),
                )
                .with_hint("name a key under #/components/schemas or a generated type name"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        warnings.extend(errors);
        Err(Diagnostics(std::mem::take(warnings)))
    }
}
