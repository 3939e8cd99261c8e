//! Static schema descriptions (`::stencil::server::Schema`) for everything a request can carry
//! and every error envelope, emitted once per named type (and generic instantiation) that is
//! used, as `static` items the runtime validates against.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::emit::{ident, normalize};
use crate::ir::{Api, Constraints, Primitive, TypeKind, TypeRef};
use crate::naming::{self, Scope};

/// Formats checked by `Rules::format`: those the Rust type does not already check.
const CHECKED_FORMATS: &[&str] = &["email", "uri", "url", "ipv4", "ipv6", "time"];

pub struct Schemas<'a> {
    api: &'a Api,
    /// Named type (with arguments) → its static.
    memo: BTreeMap<TypeRef, Ident>,
    statics: Vec<TokenStream>,
    scope: Scope,
}

impl<'a> Schemas<'a> {
    pub fn new(api: &'a Api) -> Self {
        Schemas {
            api,
            memo: BTreeMap::new(),
            statics: Vec::new(),
            scope: Scope::with_reserved(&["ALL"]),
        }
    }

    /// The `static` items made so far.
    pub fn into_items(self) -> Vec<TokenStream> {
        self.statics
    }

    /// An expression of type `&'static Schema` for `ty` with `constraints`.
    pub fn checked(&mut self, ty: &TypeRef, constraints: &Constraints) -> TokenStream {
        // An array whose items have keywords of their own: the items are checked too.
        let inner = match (normalize(ty), &constraints.items) {
            (TypeRef::Array(item), Some(items)) => {
                let item = self.checked(&item, items);
                quote!(&rt::Schema::Array(#item))
            }
            _ => self.schema(ty),
        };
        match rules(constraints) {
            Some(rules) => quote!(&rt::Schema::Checked(#inner, #rules)),
            None => inner,
        }
    }

    /// An expression of type `&'static Schema` for `ty`.
    pub fn schema(&mut self, ty: &TypeRef) -> TokenStream {
        let ty = normalize(ty);
        match &ty {
            TypeRef::Named(id, args) => {
                let def = self.api.ty(*id);
                // Aliases are their target (instantiated).
                if let TypeKind::Alias(target) = &def.kind {
                    return self.schema(&target.substitute(args));
                }
                if let Some(name) = self.memo.get(&ty) {
                    return quote!(&super::schemas::#name);
                }
                let mut raw = def.name.clone();
                for a in args {
                    raw.push('_');
                    raw.push_str(&type_words(self.api, a));
                }
                let (name, _) = self.scope.claim(&naming::schema_static_name(&raw));
                let name = ident(&name);
                self.memo.insert(ty.clone(), name.clone());
                let body = self.named_body(&def.kind, args);
                self.statics
                    .push(quote!(pub static #name: rt::Schema = #body;));
                quote!(&super::schemas::#name)
            }
            TypeRef::Generic(_) | TypeRef::Any => quote!(&rt::Schema::Any),
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Array(item) => {
                let item = self.schema(item);
                quote!(&rt::Schema::Array(#item))
            }
            TypeRef::Map(value) => {
                let value = self.schema(value);
                quote!(&rt::Schema::Map(#value))
            }
            TypeRef::Tuple(items) => {
                let items: Vec<TokenStream> = items.iter().map(|t| self.schema(t)).collect();
                quote!(&rt::Schema::Tuple(&[#(#items),*]))
            }
            TypeRef::Option(inner) => {
                let inner = self.schema(inner);
                quote!(&rt::Schema::Nullable(#inner))
            }
            TypeRef::Boxed(inner) => self.schema(inner),
        }
    }

    fn named_body(&mut self, kind: &TypeKind, args: &[TypeRef]) -> TokenStream {
        match kind {
            TypeKind::Struct(st) => {
                let fields: Vec<TokenStream> = st
                    .fields
                    .iter()
                    .map(|f| {
                        let name = &f.wire_name;
                        let schema = self.checked(&f.ty.substitute(args), &f.constraints);
                        let required = f.required;
                        let nullable = f.nullable;
                        quote!(rt::Field { name: #name, schema: #schema, required: #required, nullable: #nullable })
                    })
                    .collect();
                let additional = match &st.additional {
                    Some(t) => {
                        let s = self.schema(&t.substitute(args));
                        quote!(Some(#s))
                    }
                    None => quote!(None),
                };
                quote!(rt::Schema::Object(&rt::Object { fields: &[#(#fields),*], additional: #additional }))
            }
            TypeKind::StringEnum(e) => {
                let values = e.variants.iter().map(|v| &v.value);
                quote!(rt::Schema::StringEnum(&[#(#values),*]))
            }
            TypeKind::IntEnum(e) => {
                let values = e.variants.iter().map(|v| Literal::i64_unsuffixed(v.value));
                quote!(rt::Schema::IntEnum(&[#(#values),*]))
            }
            TypeKind::Union(u) => {
                let tag = match &u.tag {
                    Some(t) => quote!(Some(#t)),
                    None => quote!(None),
                };
                let variants: Vec<TokenStream> = u
                    .variants
                    .iter()
                    .map(|v| {
                        let tags = &v.tag_values;
                        let schema = self.schema(&v.ty.substitute(args));
                        quote!(rt::Variant { tags: &[#(#tags),*], schema: #schema })
                    })
                    .collect();
                quote!(rt::Schema::Union(&rt::Union { tag: #tag, variants: &[#(#variants),*] }))
            }
            TypeKind::Newtype(t, c) => {
                let inner = self.schema(&t.substitute(args));
                match rules(c) {
                    Some(rules) => quote!(rt::Schema::Checked(#inner, #rules)),
                    None => quote!(rt::Schema::Checked(#inner, &rt::Rules::NONE)),
                }
            }
            // The user's own type: decoding it is the check.
            TypeKind::External(_) => self.schema(&TypeRef::Any),
            // Resolved in `schema`; kept total.
            TypeKind::Alias(t) => {
                let inner = self.schema(&t.substitute(args));
                quote!(rt::Schema::Checked(#inner, &rt::Rules::NONE))
            }
        }
    }
}

/// A readable word for a type argument (for static names).
fn type_words(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id, args) => {
            let mut s = api.ty(*id).name.clone();
            for a in args {
                s.push('_');
                s.push_str(&type_words(api, a));
            }
            s
        }
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Array(t) => format!("List_{}", type_words(api, t)),
        TypeRef::Map(t) => format!("Map_{}", type_words(api, t)),
        TypeRef::Option(t) | TypeRef::Boxed(t) => type_words(api, t),
        TypeRef::Tuple(_) => "Tuple".to_owned(),
        TypeRef::Generic(i) => format!("T{i}"),
        TypeRef::Any => "Value".to_owned(),
    }
}

fn primitive(p: Primitive) -> TokenStream {
    let int = |k: TokenStream| quote!(&rt::Schema::Int(rt::IntKind::#k));
    match p {
        Primitive::String => quote!(&rt::Schema::Str(None)),
        Primitive::Bool => quote!(&rt::Schema::Bool),
        Primitive::I8 => int(quote!(I8)),
        Primitive::I16 => int(quote!(I16)),
        Primitive::I32 => int(quote!(I32)),
        Primitive::I64 => int(quote!(I64)),
        Primitive::U8 => int(quote!(U8)),
        Primitive::U16 => int(quote!(U16)),
        Primitive::U32 => int(quote!(U32)),
        Primitive::U64 => int(quote!(U64)),
        Primitive::F32 | Primitive::F64 => quote!(&rt::Schema::Float),
        Primitive::Date => quote!(&rt::Schema::Str(Some("date"))),
        Primitive::DateTime => quote!(&rt::Schema::Str(Some("date-time"))),
        Primitive::Uuid => quote!(&rt::Schema::Str(Some("uuid"))),
        Primitive::Base64 => quote!(&rt::Schema::Str(Some("byte"))),
        Primitive::Binary => quote!(&rt::Schema::Str(Some("binary"))),
    }
}

fn float(x: f64) -> TokenStream {
    if x.is_finite() {
        let lit = Literal::f64_unsuffixed(x);
        quote!(#lit)
    } else if x > 0.0 {
        quote!(f64::INFINITY)
    } else {
        quote!(f64::NEG_INFINITY)
    }
}

/// `&rt::Rules { ... }` for the keywords validation checks; `None` when there are none.
pub fn rules(c: &Constraints) -> Option<TokenStream> {
    let mut parts = Vec::new();
    let opt_f = |x: Option<f64>| x.map(float);
    if let Some(x) = opt_f(c.minimum) {
        parts.push(quote!(minimum: Some(#x)));
        if c.exclusive_minimum {
            parts.push(quote!(exclusive_minimum: true));
        }
    }
    if let Some(x) = opt_f(c.maximum) {
        parts.push(quote!(maximum: Some(#x)));
        if c.exclusive_maximum {
            parts.push(quote!(exclusive_maximum: true));
        }
    }
    if let Some(x) = opt_f(c.multiple_of) {
        parts.push(quote!(multiple_of: Some(#x)));
    }
    for (key, value) in [
        ("min_length", c.min_length),
        ("max_length", c.max_length),
        ("min_items", c.min_items),
        ("max_items", c.max_items),
    ] {
        if let Some(v) = value {
            let key = ident(key);
            let v = Literal::u64_unsuffixed(v);
            parts.push(quote!(#key: Some(#v)));
        }
    }
    if let Some(p) = &c.pattern {
        parts.push(quote!(pattern: Some(#p)));
    }
    if c.unique_items {
        parts.push(quote!(unique_items: true));
    }
    if let Some(f) = c.format.as_deref().filter(|f| CHECKED_FORMATS.contains(f)) {
        parts.push(quote!(format: Some(#f)));
    }
    if parts.is_empty() {
        None
    } else {
        Some(quote!(&rt::Rules { #(#parts,)* ..rt::Rules::NONE }))
    }
}
