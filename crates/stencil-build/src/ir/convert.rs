//! Schemas → types: the conversion phase of the IR builder.
//!
//! Every schema becomes a [`Typed`]: a [`TypeRef`] plus whether the value may be `null`.
//! Objects, enums and unions become named types in the arena; scalars, arrays and maps stay
//! inline. Inline named types are deduplicated structurally (docs and examples ignored), so two
//! inline schemas of the same shape are emitted once.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use crate::diag::join;
use crate::ir::build::{Builder, Hint, MAX_DEPTH};
use crate::ir::schema::{Kind, View};
use crate::ir::{
    Constraints, Docs, EnumVariant, Field, IntEnum, Primitive, StringEnum, Struct, TypeId,
    TypeKind, TypeRef, Union, UnionVariant,
};
use crate::load::ext;
use crate::naming;

/// A converted schema.
#[derive(Clone, Debug)]
pub struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
    /// Constraints of the schema itself (for fields and parameters).
    pub constraints: Constraints,
    pub default: Option<Value>,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
}

impl Typed {
    pub(crate) fn plain(ty: TypeRef) -> Self {
        Typed {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            default: None,
            docs: Docs::default(),
            read_only: false,
            write_only: false,
        }
    }
}

/// Schemas appear as `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
pub trait AsSchema {
    fn schema(&self) -> &Schema;
}
impl AsSchema for Schema {
    fn schema(&self) -> &Schema {
        self
    }
}
impl AsSchema for Box<Schema> {
    fn schema(&self) -> &Schema {
        self
    }
}

pub fn docs_of(v: &View) -> Docs {
    let mut examples: Vec<Value> = match v.ext(ext::EXAMPLES) {
        Some(Value::Array(xs)) => xs.clone(),
        _ => Vec::new(),
    };
    if examples.is_empty() {
        if let Some(e) = &v.data.example {
            examples.push(e.clone());
        }
    }
    Docs {
        title: v.data.title.clone(),
        description: v.data.description.clone(),
        examples,
        deprecated: v.data.deprecated,
    }
}

impl Builder<'_> {
    /// Convert a schema or reference found at `ptr`.
    pub fn type_of<S: AsSchema>(&mut self, s: &ReferenceOr<S>, ptr: &str, hint: Hint) -> Typed {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(schema) => self.inline(schema.schema(), ptr, hint, None),
        }
    }

    pub fn reference(&mut self, reference: &str, ptr: &str) -> Typed {
        match self.schema_ids.get(reference).copied() {
            Some(id) => {
                let mut t = Typed::plain(TypeRef::Named(id, Vec::new()));
                t.nullable = self.nullable_components.contains(&id);
                if let Some(c) = self.alias_constraints.get(&id) {
                    t.constraints = c.clone();
                }
                t
            }
            None => {
                self.warning(
                    ptr,
                    format!(
                        "`$ref: {reference}` does not name a schema under #/components/schemas; typed as any JSON value"
                    ),
                    "point the reference at a schema component",
                );
                Typed::plain(TypeRef::Any)
            }
        }
    }

    /// Convert an inline schema. With `target`, named results are stored in that (reserved)
    /// slot, and anything else becomes an alias there.
    pub fn inline(
        &mut self,
        schema: &Schema,
        ptr: &str,
        hint: Hint,
        target: Option<TypeId>,
    ) -> Typed {
        if self.depth > MAX_DEPTH {
            self.warning(
                ptr,
                "schema nested too deeply; typed as any JSON value",
                "flatten the schema into named components",
            );
            return Typed::plain(TypeRef::Any);
        }
        self.depth += 1;
        let v = View::new(schema);
        let mut t = self.inline_view(&v, ptr, hint, target);
        self.depth -= 1;
        t.nullable |= v.data.nullable;
        if t.docs == Docs::default() {
            t.docs = docs_of(&v);
        } else {
            let own = docs_of(&v);
            t.docs.description = own.description.or(t.docs.description);
            t.docs.title = own.title.or(t.docs.title);
            t.docs.deprecated |= own.deprecated;
            if !own.examples.is_empty() {
                t.docs.examples = own.examples;
            }
        }
        t.read_only |= v.data.read_only;
        t.write_only |= v.data.write_only;
        if v.data.default.is_some() {
            t.default = v.data.default.clone();
        }
        let own = v.constraints.clone();
        if !own.is_empty() {
            // The array's own keywords, keeping those of its items.
            let items = t.constraints.items.take();
            t.constraints = own;
            t.constraints.items = items;
        }
        if let Some(target) = target {
            let own = matches!(t.ty, TypeRef::Named(id, _) if id == target);
            if own && self.slots[target.0 as usize].kind.is_none() {
                // `X: {allOf: [{$ref: X}]}`: the schema is only a reference to itself, and
                // describes no value (like an alias loop, see `cycles`).
                self.warning(
                    ptr,
                    "the schema only refers to itself; typed as any JSON value",
                    "give the schema a definition of its own",
                );
                self.set(target, TypeKind::Alias(TypeRef::Any), docs_of(&v));
            } else if !own {
                // A component that is not itself a struct/enum/union: an alias.
                self.set(target, TypeKind::Alias(t.ty.clone()), docs_of(&v));
                if !t.constraints.is_empty() {
                    self.alias_constraints.insert(target, t.constraints.clone());
                }
                t.ty = TypeRef::Named(target, Vec::new());
            }
            if t.nullable {
                self.nullable_components.insert(target);
            }
        }
        t
    }

    fn inline_view(&mut self, v: &View, ptr: &str, hint: Hint, target: Option<TypeId>) -> Typed {
        if v.ext(ext::NULL_TYPE).is_some() {
            // Only `null`: `Option<()>`, whose `Some` no JSON value deserialises into.
            let mut t = Typed::plain(TypeRef::Tuple(Vec::new()));
            t.nullable = true;
            return t;
        }
        if v.not {
            self.warning(
                ptr,
                "`not` cannot be expressed as a Rust type; typed as any JSON value",
                "describe the allowed values positively",
            );
            return Typed::plain(TypeRef::Any);
        }
        // A single-branch composition without a shape of its own is the branch itself
        // (`allOf: [$ref]` with a description, `anyOf: [X, null]` after normalisation).
        // `allOf` parts that only annotate (`{nullable: true}`, `{description: ...}`) do not
        // count as branches: `allOf: [$ref: Union, {nullable: true}]` is a nullable `Union`.
        if v.properties.is_empty() && v.additional.is_none() && v.enumeration.is_empty() {
            let annotations: Vec<View> = v
                .all_of
                .iter()
                .filter_map(|p| match p {
                    ReferenceOr::Item(s) if View::new(s).only_annotates() => Some(View::new(s)),
                    _ => None,
                })
                .collect();
            let parts: Vec<(&str, usize, &ReferenceOr<Schema>)> = [
                ("allOf", v.all_of),
                ("anyOf", v.any_of),
                ("oneOf", v.one_of),
            ]
            .into_iter()
            .flat_map(|(k, xs)| xs.iter().enumerate().map(move |(i, x)| (k, i, x)))
            .filter(|(k, _, x)| {
                *k != "allOf" || !matches!(x, ReferenceOr::Item(s) if View::new(s).only_annotates())
            })
            .collect();
            // A `type` next to `allOf: [$ref]` adds nothing either (`{type: string, allOf:
            // [$ref: SomeEnum]}`); the part's own type wins.
            let annotated = parts.first().is_some_and(|p| p.0 == "allOf");
            // A component extending a discriminator's parent stays a struct of its own: it is a
            // variant of the parent's union (see `inheritance`), not an alias of it.
            let extends_parent = target.is_some()
                && parts.first().is_some_and(|(k, _, p)| {
                    *k == "allOf"
                        && matches!(p, ReferenceOr::Reference { reference }
                            if self.lookup_schema(reference)
                                .is_some_and(|(s, _)| s.schema_data.discriminator.is_some()))
                });
            if parts.len() == 1 && (!v.has_own_shape() || annotated) && !extends_parent {
                let (k, i, part) = parts[0];
                let p = join(&join(ptr, k), &i.to_string());
                let mut t = self.type_of(part, &p, hint);
                if matches!(part, ReferenceOr::Reference { .. }) {
                    t.docs = Docs::default();
                }
                for a in &annotations {
                    t.nullable |= a.data.nullable;
                    t.read_only |= a.data.read_only;
                    t.write_only |= a.data.write_only;
                    if a.data.default.is_some() {
                        t.default = a.data.default.clone();
                    }
                    if t.docs.description.is_none() {
                        t.docs.description = a.data.description.clone();
                    }
                    t.docs.deprecated |= a.data.deprecated;
                }
                return t;
            }
        }
        if !v.enumeration.is_empty() {
            if let Some(t) = self.enumeration(v, ptr, &hint, target) {
                return t;
            }
        }
        if !v.all_of.is_empty() || (!v.properties.is_empty() && v.has_union()) {
            return self.composed(v, ptr, hint, target);
        }
        if v.has_union() {
            let (key, branches) = if v.one_of.is_empty() {
                ("anyOf", v.any_of)
            } else {
                ("oneOf", v.one_of)
            };
            return self.union(v, branches, &join(ptr, key), hint, target);
        }
        match v.kind {
            Kind::Object => self.object(v, ptr, hint, target),
            Kind::Array => {
                if let Some(Value::Array(prefix)) = v.ext(ext::PREFIX_ITEMS) {
                    return self.tuple(prefix, ptr, &hint);
                }
                let (item, item_constraints) = match v.items {
                    Some(items) => {
                        let t = self.type_of(items, &join(ptr, "items"), hint.child("Item"));
                        let c = t.constraints.clone();
                        (wrap_nullable(t), c)
                    }
                    None => (TypeRef::Any, Constraints::default()),
                };
                let mut t = Typed::plain(TypeRef::Array(Box::new(item)));
                if !item_constraints.is_empty() {
                    t.constraints.items = Some(Box::new(item_constraints));
                }
                t
            }
            Kind::String => Typed::plain(TypeRef::Primitive(string_primitive(v.format.as_deref()))),
            Kind::Integer => Typed::plain(TypeRef::Primitive(integer_primitive(
                v.format.as_deref(),
                &v.constraints,
            ))),
            Kind::Number => Typed::plain(TypeRef::Primitive(match v.format.as_deref() {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            })),
            Kind::Boolean => Typed::plain(TypeRef::Primitive(Primitive::Bool)),
            Kind::Unknown => Typed::plain(TypeRef::Any),
        }
    }

    fn tuple(&mut self, prefix: &[Value], ptr: &str, hint: &Hint) -> Typed {
        let mut items = Vec::new();
        for (i, raw) in prefix.iter().enumerate() {
            let p = join(&join(ptr, ext::PREFIX_ITEMS), &i.to_string());
            match serde_json::from_value::<ReferenceOr<Schema>>(raw.clone()) {
                Ok(s) => {
                    let t = self.type_of(&s, &p, hint.child(&format!("Item{i}")));
                    items.push(wrap_nullable(t));
                }
                Err(e) => {
                    self.warning(
                        &p,
                        format!("tuple item is not a schema ({e}); typed as any JSON value"),
                        "fix the prefixItems entry",
                    );
                    items.push(TypeRef::Any);
                }
            }
        }
        Typed::plain(TypeRef::Tuple(items))
    }

    fn enumeration(
        &mut self,
        v: &View,
        ptr: &str,
        hint: &Hint,
        target: Option<TypeId>,
    ) -> Option<Typed> {
        let nullable = v.enumeration.iter().any(Value::is_null);
        let values: Vec<&Value> = v.enumeration.iter().filter(|x| !x.is_null()).collect();
        if values.is_empty() {
            let mut t = Typed::plain(TypeRef::Any);
            t.nullable = true;
            return Some(t);
        }
        let kind = if values.iter().all(|x| x.is_string()) {
            let mut scope = naming::Scope::new();
            let mut variants = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for x in &values {
                let s = x.as_str().unwrap_or_default().to_owned();
                if !seen.insert(s.clone()) {
                    continue;
                }
                let (name, renamed) = scope.claim(&naming::variant_name(&s));
                if renamed {
                    self.warning(
                        ptr,
                        format!("enum values collide as Rust variants; `{s}` is named `{name}`"),
                        "rename the enum value or accept the numbered variant",
                    );
                }
                variants.push(EnumVariant {
                    name,
                    value: s,
                    docs: Docs::default(),
                });
            }
            TypeKind::StringEnum(StringEnum {
                variants,
                fallback: true,
            })
        } else if values.iter().all(|x| x.as_i64().is_some()) && v.kind != Kind::Number {
            let mut scope = naming::Scope::new();
            let mut variants = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for x in &values {
                let n = x.as_i64().unwrap_or_default();
                if !seen.insert(n) {
                    continue;
                }
                let raw = if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    format!("V{n}")
                };
                let (name, _) = scope.claim(&naming::variant_name(&raw));
                variants.push(EnumVariant {
                    name,
                    value: n,
                    docs: Docs::default(),
                });
            }
            TypeKind::IntEnum(IntEnum {
                variants,
                fallback: true,
            })
        } else {
            // Booleans, floats, mixed: keep the base type; the values stay documented.
            return None;
        };
        let mut t = Typed::plain(self.named(kind, docs_of(v), ptr, hint.clone(), target));
        t.nullable = nullable;
        Some(t)
    }

    pub(crate) fn union(
        &mut self,
        v: &View,
        branches: &[ReferenceOr<Schema>],
        ptr: &str,
        hint: Hint,
        target: Option<TypeId>,
    ) -> Typed {
        let id = self.reserve(ptr, hint.clone(), target);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut scope = naming::Scope::new();
        let mut branch_ids = Vec::new();
        let mut nullable = false;
        for (i, b) in branches.iter().enumerate() {
            let p = join(ptr, &i.to_string());
            let t = self.type_of(b, &p, Hint::under(id, &format!("Variant{i}")));
            nullable |= t.nullable && !matches!(t.ty, TypeRef::Any);
            if t.nullable && matches!(t.ty, TypeRef::Any) && self.is_null_only(b) {
                nullable = true;
                continue;
            }
            let base = match &t.ty {
                TypeRef::Named(tid, _) => self.slot_name_hint(*tid),
                other => naming::variant_name(&primitive_word(other)),
            };
            let (name, _) = scope.claim(&naming::variant_name(&base));
            if let TypeRef::Named(tid, _) = t.ty {
                branch_ids.push(Some(tid));
            } else {
                branch_ids.push(None);
            }
            variants.push(UnionVariant {
                name,
                tag_values: Vec::new(),
                ty: t.ty,
                docs: t.docs,
            });
        }
        let tag = self.discriminate(v, ptr, &mut variants, &branch_ids);
        let kind = TypeKind::Union(Union {
            tag,
            variants,
            event_keyed: false,
        });
        let ty = self.finish(id, kind, docs_of(v), target.is_some());
        let mut t = Typed::plain(ty);
        t.nullable = nullable;
        t
    }

    pub(crate) fn is_null_only(&self, b: &ReferenceOr<Schema>) -> bool {
        matches!(b, ReferenceOr::Item(s) if s.schema_data.extensions.contains_key(ext::NULL_TYPE))
    }

    fn object(&mut self, v: &View, ptr: &str, hint: Hint, target: Option<TypeId>) -> Typed {
        if v.properties.is_empty() {
            match v.additional {
                Some(AdditionalProperties::Any(false)) => {}
                Some(AdditionalProperties::Schema(s)) => {
                    let t = self.type_of(
                        s.as_ref(),
                        &join(ptr, "additionalProperties"),
                        hint.child("Value"),
                    );
                    return Typed::plain(TypeRef::Map(Box::new(wrap_nullable(t))));
                }
                _ => return Typed::plain(TypeRef::Map(Box::new(TypeRef::Any))),
            }
        }
        let id = self.reserve(ptr, hint, target);
        let st = self.fields_of(v, ptr, id);
        let ty = self.finish(id, TypeKind::Struct(st), docs_of(v), target.is_some());
        Typed::plain(ty)
    }

    /// The fields of an object schema (not its allOf parts).
    pub(crate) fn fields_of(&mut self, v: &View, ptr: &str, owner: TypeId) -> Struct {
        let mut st = Struct::default();
        let mut scope = naming::Scope::with_reserved(&["additional_properties"]);
        for (wire, prop) in &v.properties {
            let p = join(&join(ptr, "properties"), wire);
            let t = self.type_of(*prop, &p, Hint::under(owner, &naming::type_name(wire)));
            let (name, renamed) = scope.claim(&naming::field_name(wire));
            if renamed {
                self.warning(&p, format!("property `{wire}` collides with another after snake-casing; the Rust field is `{name}`"), "rename one of the properties");
            }
            let mut default = t.default.clone();
            if let (Some(d), TypeRef::Primitive(Primitive::Bool)) = (&default, &t.ty) {
                if let Some(n) = d.as_i64() {
                    default = Some(Value::Bool(n != 0));
                }
            }
            st.fields.push(Field {
                name,
                wire_name: (*wire).to_owned(),
                required: v.required.contains(wire),
                nullable: t.nullable,
                default,
                read_only: t.read_only,
                write_only: t.write_only,
                constraints: t.constraints,
                docs: t.docs,
                ty: t.ty,
            });
        }
        match v.additional {
            Some(AdditionalProperties::Schema(s)) if !v.properties.is_empty() => {
                let t = self.type_of(
                    s.as_ref(),
                    &join(ptr, "additionalProperties"),
                    Hint::under(owner, "Value"),
                );
                st.additional = Some(wrap_nullable(t));
            }
            Some(AdditionalProperties::Any(true)) if !v.properties.is_empty() => {
                st.additional = Some(TypeRef::Any);
            }
            _ => {}
        }
        st
    }
}

/// A nullable value inside an array, map or tuple becomes `Option<T>`.
pub(crate) fn wrap_nullable(t: Typed) -> TypeRef {
    if t.nullable && t.ty != TypeRef::Any {
        TypeRef::Option(Box::new(t.ty))
    } else {
        t.ty
    }
}

fn primitive_word(t: &TypeRef) -> String {
    match t {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Array(_) => "Array".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Tuple(_) => "Tuple".into(),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => primitive_word(inner),
        TypeRef::Any => "Value".into(),
        TypeRef::Named(..) | TypeRef::Generic(_) => "Variant".into(),
    }
}

pub fn string_primitive(format: Option<&str>) -> Primitive {
    match format {
        Some("date") => Primitive::Date,
        Some("date-time") => Primitive::DateTime,
        Some("uuid") => Primitive::Uuid,
        Some("byte") => Primitive::Base64,
        Some("binary") => Primitive::Binary,
        _ => Primitive::String,
    }
}

pub fn integer_primitive(format: Option<&str>, c: &Constraints) -> Primitive {
    match format {
        Some("int8") => Primitive::I8,
        Some("int16") => Primitive::I16,
        Some("int32") => Primitive::I32,
        Some("uint8") => Primitive::U8,
        Some("uint16") => Primitive::U16,
        Some("uint32") => Primitive::U32,
        Some("uint64") | Some("uint") => Primitive::U64,
        Some("int64")
            if c.minimum.is_some_and(|m| m >= 0.0)
                && c.maximum.is_some_and(|m| m > i64::MAX as f64) =>
        {
            Primitive::U64
        }
        _ => Primitive::I64,
    }
}
