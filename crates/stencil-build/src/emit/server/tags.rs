//! The handler traits of `Options::server_traits_per_tag`: one per tag (the first tag of each
//! operation), each under the trait of its tag's nearest ancestor (3.2 `parent`) that has one.

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
    /// The supertrait of each trait after [`ApiBase`]: the trait of the nearest ancestor tag
    /// (3.2 `parent`) that has operations.
    pub(super) parents: Vec<Option<usize>>,
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
        let parents = tag_parents(api, &traits);
        PerTag {
            traits,
            of_operation,
            parents,
        }
    }
}

/// For each trait, the trait of the nearest ancestor of its tag that has one. Tags whose names
/// make the same trait could make a cycle of traits: such a parent is left out.
fn tag_parents(api: &Api, traits: &[(Ident, Option<String>)]) -> Vec<Option<usize>> {
    let parent = |tag: &str| {
        let found = api.tags.iter().find(|t| t.name == tag);
        found.and_then(|t| t.parent.clone())
    };
    let index = |tag: &str| {
        let name = crate::naming::tag_trait_name(Some(tag));
        traits.iter().position(|(t, _)| *t == name)
    };
    let mut parents: Vec<Option<usize>> = vec![None; traits.len()];
    for (i, (_, tag)) in traits.iter().enumerate() {
        let mut up = tag.as_deref().and_then(parent);
        // Each step climbs to a distinct tag (the IR leaves no cycle of tags).
        for _ in 0..=api.tags.len() {
            let Some(tag) = up else { break };
            match index(&tag) {
                Some(p) if p != i => {
                    // No cycle through the parents chosen so far.
                    let mut at = Some(p);
                    let mut steps = 0;
                    while let Some(a) = at.filter(|&a| a != i && steps <= traits.len()) {
                        at = parents[a];
                        steps += 1;
                    }
                    if at.is_none() {
                        parents[i] = Some(p);
                    }
                    break;
                }
                _ => up = parent(&tag),
            }
        }
    }
    parents
}
