//! Breaking recursive cycles: a type that contains itself (directly, or through other types held
//! inline) gets a `Box` on every edge that stays inside its strongly connected component.
//! `Vec` and maps are already on the heap and break nothing.

use crate::ir::walk::kind_tops_mut;
use crate::ir::{Api, TypeRef};

/// Named types a reference holds inline (not behind `Vec`, a map or `Box`).
fn direct(t: &TypeRef, out: &mut Vec<u32>) {
    match t {
        TypeRef::Named(id, args) => {
            out.push(id.0);
            args.iter().for_each(|a| direct(a, out));
        }
        TypeRef::Option(x) => direct(x, out),
        TypeRef::Tuple(xs) => xs.iter().for_each(|x| direct(x, out)),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Boxed(_) => {}
        TypeRef::Generic(_) | TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

pub fn break_cycles(api: &mut Api) -> Vec<usize> {
    let alias_loops = break_alias_loops(api);
    let n = api.types.len();
    let mut edges: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, def) in api.types.iter_mut().enumerate() {
        for t in kind_tops_mut(&mut def.kind) {
            direct(t, &mut edges[i]);
        }
    }
    let scc = tarjan(&edges);
    for (i, def) in api.types.iter_mut().enumerate() {
        let boxable = !matches!(
            def.kind,
            crate::ir::TypeKind::Alias(_) | crate::ir::TypeKind::Newtype(..)
        );
        for t in kind_tops_mut(&mut def.kind) {
            let mut targets = Vec::new();
            direct(t, &mut targets);
            if boxable && targets.iter().any(|&j| scc[j as usize] == scc[i]) {
                let inner = std::mem::replace(t, TypeRef::Any);
                *t = TypeRef::Boxed(Box::new(inner));
            }
        }
    }
    alias_loops
}

/// `A = B`, `B = A`: aliases that only name each other describe no value. Each alias on such a
/// loop becomes `serde_json::Value`; returns their indices (for a warning).
fn break_alias_loops(api: &mut Api) -> Vec<usize> {
    let target = |api: &Api, i: usize| match &api.types[i].kind {
        crate::ir::TypeKind::Alias(TypeRef::Named(id, args)) if args.is_empty() => {
            Some(id.0 as usize)
        }
        _ => None,
    };
    let mut looped = Vec::new();
    for start in 0..api.types.len() {
        let mut i = start;
        for _ in 0..api.types.len() {
            match target(api, i) {
                Some(next) if next == start => {
                    looped.push(start);
                    break;
                }
                Some(next) => i = next,
                None => break,
            }
        }
    }
    for &i in &looped {
        api.types[i].kind = crate::ir::TypeKind::Alias(TypeRef::Any);
    }
    looped
}

/// Strongly connected components (iterative Tarjan): the component index of every node.
fn tarjan(edges: &[Vec<u32>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0usize;
    let mut ncomp = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei] as usize;
                *ei += 1;
                if w >= n {
                    continue;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                loop {
                    let w = stack.pop().expect("tarjan stack holds v");
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}
