//! openapiv3 → IR, in phases (as typify does):
//!
//! 1. **reserve**: a slot for every component schema, so every `$ref` resolves to a `TypeId`
//!    before anything is converted;
//! 2. **convert**: component schemas ([`convert`](super::convert)), then operations
//!    ([`operations`](super::operations)) in document order; inline objects, enums and unions
//!    get slots of their own, deduplicated by structure;
//! 3. **finalise**: discriminators, inheritance (a parent with a discriminator becomes a
//!    union of its descendants), pydantic generics, names (components first, then inline
//!    types from their context), `Box` on every recursive cycle, and the arena sorted by name.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{Api, Constraints, Docs, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Loaded;
use crate::naming;

/// Deepest inline schema nesting converted before giving up with `serde_json::Value`. Kept
/// low: the rendered type (`Vec<Vec<...>>`) is parsed back by `syn`, whose recursion in a
/// debug build (build scripts are debug) overflows an 8 MB main thread near 60 levels.
pub const MAX_DEPTH: usize = 24;

/// Where an inline type was found, from which its name is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// The named type it is nested in: the name is the parent's name followed by `text`.
    pub parent: Option<TypeId>,
    pub text: String,
    /// Tried when `text` is taken, before numbering (e.g. the operation's name).
    pub fallback_prefix: Option<String>,
    /// Set for error response bodies: a shape shared by several error statuses is named
    /// `ErrorResponse`.
    pub error_status: Option<u16>,
}

impl Hint {
    pub fn root(text: impl Into<String>) -> Hint {
        Hint {
            parent: None,
            text: text.into(),
            fallback_prefix: None,
            error_status: None,
        }
    }

    pub fn under(parent: TypeId, text: &str) -> Hint {
        Hint {
            parent: Some(parent),
            ..Hint::root(text)
        }
    }

    /// A hint for something nested in the same place (`Item`, `Value`).
    pub fn child(&self, suffix: &str) -> Hint {
        Hint {
            text: format!("{}{suffix}", self.text),
            error_status: None,
            ..self.clone()
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Slot {
    pub kind: Option<TypeKind>,
    pub docs: Docs,
    pub origin: String,
    pub hints: Vec<Hint>,
    /// The key under `components/schemas`, for component slots.
    pub component: Option<String>,
    /// Set when this slot turned out to duplicate another: the survivor.
    pub redirect: Option<TypeId>,
    pub generics: Vec<String>,
    pub name: String,
}

pub struct Builder<'a> {
    pub(crate) loaded: &'a Loaded,
    pub(crate) doc: &'a OpenAPI,
    pub(crate) slots: Vec<Slot>,
    /// `#/components/schemas/X` → slot.
    pub(crate) schema_ids: HashMap<String, TypeId>,
    pub(crate) nullable_components: HashSet<TypeId>,
    pub(crate) alias_constraints: HashMap<TypeId, Constraints>,
    dedup: HashMap<String, TypeId>,
    pub(crate) depth: usize,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Build the IR of a loaded document. Warnings are appended to `warnings`; errors fail the
/// build (with the warnings found so far).
pub fn build(loaded: &Loaded, warnings: &mut Vec<Diagnostic>) -> Result<Api, Diagnostics> {
    let doc = &loaded.document;
    let mut b = Builder {
        loaded,
        doc,
        slots: Vec::new(),
        schema_ids: HashMap::new(),
        nullable_components: HashSet::new(),
        alias_constraints: HashMap::new(),
        dedup: HashMap::new(),
        depth: 0,
        diagnostics: Vec::new(),
    };
    // Phase 1: reserve.
    let schemas: Vec<(&String, &ReferenceOr<Schema>)> = doc
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .collect();
    for (key, _) in &schemas {
        let id = TypeId(b.slots.len() as u32);
        let origin = join("/components/schemas", key);
        b.slots.push(Slot {
            component: Some((*key).clone()),
            origin,
            ..Slot::default()
        });
        b.schema_ids
            .insert(format!("#/components/schemas/{key}"), id);
    }
    // Phase 2: convert.
    for (i, (key, schema)) in schemas.iter().enumerate() {
        let id = TypeId(i as u32);
        let ptr = join("/components/schemas", key);
        match schema {
            ReferenceOr::Item(s) => {
                b.inline(s, &ptr, Hint::root(naming::type_name(key)), Some(id));
            }
            ReferenceOr::Reference { reference } => {
                let t = b.reference(reference, &ptr);
                b.set(id, TypeKind::Alias(t.ty), Docs::default());
                if t.nullable {
                    b.nullable_components.insert(id);
                }
            }
        }
    }
    let operations = b.operations();
    let hooks = b.hooks(&operations);
    let security_schemes = b.security_schemes();
    let tags = b.tags();
    // Phase 3: finalise.
    b.discriminators();
    b.inheritance();
    b.generics();
    b.assign_names();
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc.servers.iter().map(server_url).collect(),
        types: Vec::new(),
        operations,
        security_schemes,
        tags,
        hooks,
        document: if loaded.files.len() <= 1 {
            loaded.source_text.clone()
        } else {
            serde_json::to_string_pretty(&loaded.raw).unwrap_or_default()
        },
    };
    let diagnostics = std::mem::take(&mut b.diagnostics);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    warnings.extend(diagnostics);
    if has_errors {
        return Err(Diagnostics(std::mem::take(warnings)));
    }
    let locate = |d: Diagnostic| loaded.locate(d);
    b.into_arena(&mut api);
    for i in super::cycles::break_cycles(&mut api) {
        let t = &api.types[i];
        warnings.push(locate(
            Diagnostic::warning(
                &t.origin,
                format!(
                    "schema `{}` only refers to itself through `$ref`s; typed as any JSON value",
                    t.name
                ),
            )
            .with_hint("give one schema of the reference loop a real definition"),
        ));
    }
    Ok(api)
}

/// A server's URL with its variables replaced by their defaults
/// (`https://{region}.example.com` → `https://eu.example.com`). A variable without a
/// definition stays as written.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

impl<'a> Builder<'a> {
    pub fn warning(&mut self, ptr: &str, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::warning(ptr, message).with_hint(hint);
        self.diagnostics.push(self.loaded.locate(d));
    }

    pub fn error(&mut self, ptr: &str, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::error(ptr, message).with_hint(hint);
        self.diagnostics.push(self.loaded.locate(d));
    }

    /// A slot for a named type: `target` when converting a component, else a new one.
    pub fn reserve(&mut self, ptr: &str, hint: Hint, target: Option<TypeId>) -> TypeId {
        if let Some(t) = target {
            return t;
        }
        let id = TypeId(self.slots.len() as u32);
        self.slots.push(Slot {
            origin: ptr.to_owned(),
            hints: vec![hint],
            ..Slot::default()
        });
        id
    }

    /// Store the converted kind in a reserved slot. Inline types are deduplicated: when an
    /// identical shape exists, this slot is dropped and the existing type is returned.
    pub fn finish(&mut self, id: TypeId, kind: TypeKind, docs: Docs, component: bool) -> TypeRef {
        if !component {
            let signature = signature(&kind);
            if let Some(&existing) = self.dedup.get(&signature) {
                let hints = std::mem::take(&mut self.slots[id.0 as usize].hints);
                self.slots[id.0 as usize].redirect = Some(existing);
                self.slots[existing.0 as usize].hints.extend(hints);
                return TypeRef::Named(existing, Vec::new());
            }
            self.dedup.insert(signature, id);
        }
        self.set(id, kind, docs);
        TypeRef::Named(id, Vec::new())
    }

    pub fn named(
        &mut self,
        kind: TypeKind,
        docs: Docs,
        ptr: &str,
        hint: Hint,
        target: Option<TypeId>,
    ) -> TypeRef {
        let id = self.reserve(ptr, hint, target);
        self.finish(id, kind, docs, target.is_some())
    }

    pub fn set(&mut self, id: TypeId, kind: TypeKind, docs: Docs) {
        let slot = &mut self.slots[id.0 as usize];
        slot.kind = Some(kind);
        slot.docs = docs;
    }

    /// A schema component by reference, following reference chains.
    pub fn lookup_schema(&self, reference: &str) -> Option<(&'a Schema, String)> {
        let mut r = reference.to_owned();
        for _ in 0..32 {
            let key = r.strip_prefix("#/components/schemas/")?;
            let schema = self.doc.components.as_ref()?.schemas.get(key)?;
            match schema {
                ReferenceOr::Item(s) => return Some((s, join("/components/schemas", key))),
                ReferenceOr::Reference { reference } => r = reference.clone(),
            }
        }
        None
    }

    /// The name a type would get, for naming union variants before names are final.
    pub fn slot_name_hint(&self, id: TypeId) -> String {
        let slot = &self.slots[id.0 as usize];
        match (&slot.component, slot.hints.first()) {
            (Some(key), _) => naming::schema_type_name(key, slot.docs.title.as_deref()),
            (None, Some(h)) => h.text.clone(),
            (None, None) => "Variant".to_owned(),
        }
    }

    /// Follow dedup redirects to the surviving slot.
    pub(crate) fn resolve(&self, mut id: TypeId) -> TypeId {
        while let Some(r) = self.slots[id.0 as usize].redirect {
            id = r;
        }
        id
    }

    fn assign_names(&mut self) {
        let mut scope = naming::Scope::new();
        for i in 0..self.slots.len() {
            let Some(key) = self.slots[i].component.clone() else {
                continue;
            };
            let wanted = naming::schema_type_name(&key, self.slots[i].docs.title.as_deref());
            let (name, renamed) = scope.claim(&wanted);
            if renamed {
                let origin = self.slots[i].origin.clone();
                self.warning(
                    &origin,
                    format!("schema `{key}` would be named `{wanted}`, which another schema already has; it is named `{name}`"),
                    "rename one of the schemas so their Rust names differ",
                );
            }
            self.slots[i].name = name;
        }
        for i in 0..self.slots.len() {
            let slot = &self.slots[i];
            if slot.component.is_some() || slot.redirect.is_some() || slot.kind.is_none() {
                continue;
            }
            let statuses: HashSet<u16> = slot.hints.iter().filter_map(|h| h.error_status).collect();
            let hint = slot
                .hints
                .first()
                .cloned()
                .unwrap_or_else(|| Hint::root("Type"));
            let mut candidates = Vec::new();
            if statuses.len() > 1 && slot.hints.iter().all(|h| h.error_status.is_some()) {
                candidates.push("ErrorResponse".to_owned());
            }
            let base = match hint.parent {
                Some(p) => format!(
                    "{}{}",
                    self.slots[self.resolve(p).0 as usize].name,
                    hint.text
                ),
                None => hint.text.clone(),
            };
            candidates.push(naming::type_name(&base));
            if let Some(prefix) = &hint.fallback_prefix {
                candidates.push(naming::type_name(&format!("{prefix}{base}")));
            }
            let name = match candidates.iter().find(|c| !scope.contains(c)) {
                Some(free) => scope.claim(free).0,
                None => {
                    scope
                        .claim(candidates.last().map(String::as_str).unwrap_or("Type"))
                        .0
                }
            };
            self.slots[i].name = name;
        }
    }

    /// Move the live slots into the API's arena, sorted by name, remapping every reference.
    fn into_arena(self, api: &mut Api) {
        let mut live: Vec<(String, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.redirect.is_none() && s.kind.is_some())
            .map(|(i, s)| (s.name.clone(), i))
            .collect();
        live.sort();
        let mut map: BTreeMap<u32, TypeId> = BTreeMap::new();
        for (new, (_, old)) in live.iter().enumerate() {
            map.insert(*old as u32, TypeId(new as u32));
        }
        let redirects: Vec<TypeId> = (0..self.slots.len())
            .map(|i| self.resolve(TypeId(i as u32)))
            .collect();
        let remap = |id: TypeId| -> TypeId {
            let r = redirects[id.0 as usize];
            map.get(&r.0).copied().unwrap_or(TypeId(0))
        };
        let mut types = Vec::with_capacity(live.len());
        let mut slots: Vec<Option<Slot>> = self.slots.into_iter().map(Some).collect();
        for (new, (_, old)) in live.iter().enumerate() {
            let slot = slots[*old].take().unwrap_or_default();
            let mut kind = slot.kind.unwrap_or(TypeKind::Alias(TypeRef::Any));
            super::walk::kind_refs_mut(&mut kind, &mut |t| remap_ref(t, &remap));
            types.push(TypeDef {
                id: TypeId(new as u32),
                name: slot.name,
                origin: slot.origin,
                docs: slot.docs,
                generics: slot.generics,
                kind,
            });
        }
        api.types = types;
        for op in api.operations_mut() {
            super::walk::operation_refs_mut(op, &mut |t| remap_ref(t, &remap));
        }
    }
}

fn remap_ref(t: &mut TypeRef, remap: &impl Fn(TypeId) -> TypeId) {
    if let TypeRef::Named(id, _) = t {
        *id = remap(*id);
    }
}

/// The structure of a type without its docs: equal signatures mean one Rust type will do.
fn signature(kind: &TypeKind) -> String {
    let mut k = kind.clone();
    match &mut k {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.docs = Docs::default()),
        TypeKind::StringEnum(e) => e.variants.iter_mut().for_each(|v| v.docs = Docs::default()),
        TypeKind::IntEnum(e) => e.variants.iter_mut().for_each(|v| v.docs = Docs::default()),
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.docs = Docs::default()),
        TypeKind::Alias(_) | TypeKind::Newtype(..) | TypeKind::External(_) => {}
    }
    format!("{k:?}")
}
