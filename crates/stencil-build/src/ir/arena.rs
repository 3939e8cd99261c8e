//! Setting the type arena by hand (tests, fuzzing): checked against the arena's invariants.

use super::walk;
use super::{Api, TypeDef, TypeRef};

impl Api {
    /// This API with `types` as its arena (IR built by hand, in tests), if they keep the
    /// arena's invariants: each type's id is its index and every named reference points into
    /// the arena. The error names the first type that does not.
    pub fn with_types(mut self, mut types: Vec<TypeDef>) -> Result<Api, String> {
        let len = types.len();
        for (i, def) in types.iter_mut().enumerate() {
            if def.id.index() != i {
                return Err(format!(
                    "type `{}` at index {i} has id {}",
                    def.name, def.id.0
                ));
            }
            let mut outside = None;
            walk::kind_refs_mut(&mut def.kind, &mut |t| {
                if let TypeRef::Named(id, _) = t {
                    if id.index() >= len {
                        outside = Some(id.0);
                    }
                }
            });
            if let Some(id) = outside {
                return Err(format!(
                    "type `{}` names type {id}, outside the arena",
                    def.name
                ));
            }
        }
        self.types = types;
        Ok(self)
    }
}
