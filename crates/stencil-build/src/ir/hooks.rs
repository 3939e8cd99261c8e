//! Webhooks (3.1) and operation callbacks: operations the API provider sends, built like the
//! operations under `paths` (their own naming scope), kept apart in `Api::hooks`.

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr};

use crate::diag::join;
use crate::ir::build::Builder;
use crate::ir::operations::Item;
use crate::ir::{Hook, HookKind, Operation};
use crate::load::ext;

/// Webhooks, then callbacks, as (kind, key, item, pointer of the item).
type Found = Vec<(HookKind, String, PathItem, String)>;

impl Builder<'_> {
    /// The webhooks and the callbacks of `operations` (the operations under `paths`).
    pub(crate) fn hooks(&mut self, operations: &[Operation]) -> Vec<Hook> {
        let mut found = self.webhooks();
        self.callbacks(operations, &mut found);
        let items: Vec<Item<'_>> = found
            .iter()
            .map(|(_, key, item, ptr)| (key.clone(), item, ptr.clone()))
            .collect();
        let built = self.operations_of(&items, false);
        // Each item gave zero or more operations: match them back by pointer.
        let mut hooks = Vec::new();
        for operation in built {
            let kind = found
                .iter()
                .find(|(_, _, _, ptr)| operation.origin.starts_with(&format!("{ptr}/")))
                .map(|(kind, _, _, _)| kind.clone());
            if let Some(kind) = kind {
                hooks.push(Hook { kind, operation });
            }
        }
        hooks
    }

    fn webhooks(&mut self) -> Found {
        let Some(raw) = self.doc.extensions.get(ext::WEBHOOKS) else {
            return Vec::new();
        };
        let parsed: Result<IndexMap<String, ReferenceOr<PathItem>>, _> =
            serde_json::from_value(raw.clone());
        let items = match parsed {
            Ok(items) => items,
            Err(e) => {
                self.warning(
                    "/webhooks",
                    format!("the webhooks cannot be read ({e}); they are left out"),
                    "fix the webhooks' path items",
                );
                return Vec::new();
            }
        };
        items
            .into_iter()
            .filter_map(|(name, item)| match item {
                ReferenceOr::Item(item) => Some((
                    HookKind::Webhook { name: name.clone() },
                    name.clone(),
                    item,
                    join("/webhooks", &name),
                )),
                ReferenceOr::Reference { .. } => None,
            })
            .collect()
    }

    fn callbacks(&mut self, operations: &[Operation], found: &mut Found) {
        for owner in operations {
            let Some(callbacks) = self
                .source_operation(&owner.origin)
                .map(|op| op.callbacks.clone())
            else {
                continue;
            };
            for (name, callback) in &callbacks {
                for (expression, item) in callback {
                    let ptr = join(&join(&join(&owner.origin, "callbacks"), name), expression);
                    let url = match super::expression::parse(expression) {
                        Ok(url) => url,
                        Err(why) => {
                            self.warning(
                                &ptr,
                                format!(
                                    "the callback URL `{expression}` is not a runtime expression \
                                     template ({why}); the callback is left out"
                                ),
                                "write the URL as text and `{$...}` expressions, e.g. \
                                 `{$request.body#/callbackUrl}/data` or \
                                 `https://example.com/cb?id={$request.query.id}`",
                            );
                            continue;
                        }
                    };
                    let kind = HookKind::Callback {
                        owner: owner.name.clone(),
                        name: name.clone(),
                        expression: expression.clone(),
                        url,
                    };
                    // Named after the callback (`post_on_data`), not its URL expression.
                    found.push((kind, name.clone(), item.clone(), ptr));
                }
            }
        }
    }

    /// The operation object at `origin` (`/paths/<path>/<method>`).
    fn source_operation(&self, origin: &str) -> Option<&openapiv3::Operation> {
        let rest = origin.strip_prefix("/paths/")?;
        let (path, method) = rest.rsplit_once('/')?;
        let path = path.replace("~1", "/").replace("~0", "~");
        let ReferenceOr::Item(item) = self.doc.paths.paths.get(&path)? else {
            return None;
        };
        item.iter().find(|(m, _)| *m == method).map(|(_, op)| op)
    }
}
