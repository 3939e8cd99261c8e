//! With `Options::server_traits_per_tag`: which handler trait each operation goes to.

use proc_macro2::Ident;
use quote::format_ident;

use crate::ir::Api;

/// The per-tag handler traits.
pub(super) struct PerTag {
    /// Trait name, with the tag it was named after (`None`: the untagged operations), in order
    /// of first use.
    pub(super) traits: Vec<(Ident, Option<String>)>,
    /// Index into `traits`, by operation index.
    pub(super) of_operation: Vec<usize>,
}

impl PerTag {
    pub(super) fn new(api: &Api) -> Self {
        let mut traits: Vec<(Ident, Option<String>)> = Vec::new();
        let mut of_operation = Vec::new();
        for op in &api.operations {
            let tag = op.tags.first().filter(|t| !t.trim().is_empty());
            let name = crate::naming::tag_trait_name(tag.map(String::as_str));
            // Tags that name the same trait (`auth`, `Auth`) share it.
            let index = match traits.iter().position(|(t, _)| *t == name) {
                Some(i) => i,
                None => {
                    traits.push((format_ident!("{}", name), tag.cloned()));
                    traits.len() - 1
                }
            };
            of_operation.push(index);
        }
        PerTag {
            traits,
            of_operation,
        }
    }
}
