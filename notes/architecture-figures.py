#!/usr/bin/env python3
"""Architecture figures (a)-(d) of notes/architecture.md. Usage: python3 notes/architecture-figures.py ."""
import os, re, sys
repo = sys.argv[1]
src = os.path.join(repo, 'crates/stencil-build/src')

def strip_tests(text):
    m = re.search(r'#\[cfg\(test\)\]\s*mod \w+\s*\{', text)
    return text[:m.start()] if m else text

files = {}  # module path tuple -> file
for d, _, fs in os.walk(src):
    for f in fs:
        if not f.endswith('.rs'): continue
        p = os.path.join(d, f)
        rel = os.path.relpath(p, src)[:-3].split(os.sep)
        if rel == ['lib']: mod = ()
        elif rel[-1] == 'mod': mod = tuple(rel[:-1])
        else: mod = tuple(rel)
        files[mod] = os.path.relpath(p, src)

def expand_use(tree):
    tree = re.sub(r'\s+', '', tree)
    def rec(prefix, t):
        if '{' not in t:
            return [prefix + t]
        i = t.index('{')
        head = t[:i]; body = t[i+1:t.rindex('}')]
        parts, depth, cur = [], 0, ''
        for ch in body:
            if ch == ',' and depth == 0: parts.append(cur); cur = ''; continue
            if ch == '{': depth += 1
            if ch == '}': depth -= 1
            cur += ch
        if cur: parts.append(cur)
        out = []
        for p in parts: out += rec(prefix + head, p)
        return out
    return rec('', tree)

def resolve(mod, path):
    segs = [s for s in path.split('::') if s]
    if not segs: return None
    if segs[0] == 'crate': cur = (); segs = segs[1:]
    elif segs[0] in ('super', 'self'):
        is_dir = files[mod].endswith('mod.rs') or files[mod] == 'lib.rs'
        cur = mod
        while segs and segs[0] in ('super', 'self'):
            if segs[0] == 'super': cur = cur[:-1]
            segs = segs[1:]
    else: return None
    best = cur
    for s in segs:
        s = s.split(' as ')[0]
        if cur + (s,) in files: cur = cur + (s,); best = cur
        else: break
    return best

imports = {}
for mod, f in files.items():
    text = strip_tests(open(os.path.join(src, f)).read())
    text = re.sub(r'//.*', '', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)  # string literals (generated code's paths)
    paths = []
    for m in re.finditer(r'\buse\s+((?:crate|super|self)[^;]*);', text):
        paths += expand_use(m.group(1))
    for m in re.finditer(r'\b((?:crate|super)(?:::\w+)+)', text):
        paths.append(m.group(1))
    tgt = set()
    for p in paths:
        r = resolve(mod, p.replace('::*', ''))
        # A path resolving to lib.rs is a path in generated code (quote!), not an import.
        if r is not None and r != mod and r != () and files.get(r):
            tgt.add(r)
    imports[mod] = tgt

def name(m): return files[m]
pairs = sorted({tuple(sorted((name(a), name(b)))) for a in imports for b in imports[a] if a in imports.get(b, ())})
print('(a) files importing each other: %d' % len(pairs))
for a, b in pairs: print('    %s <-> %s' % (a, b))

RANK = {'diag': 0, 'naming': 0, 'literals': 0, 'options': 5, 'load': 1, 'ir': 2, 'emit': 3, 'render': 4, 'pipeline': 5, 'config': 5, 'stages': 6}
def rank(m):
    if m == (): return 6
    return RANK.get(m[0], 6)
bad = sorted((name(a), name(b)) for a in imports for b in imports[a] if rank(b) > rank(a))
print('(b) imports pointing to a later stage: %d' % len(bad))
for a, b in bad: print('    %s -> %s' % (a, b))

big = []
for top in ('crates', 'xtask/src'):
    for d, _, fs in os.walk(os.path.join(repo, top)):
        if '/tests' in d.replace(repo, '') or '/target' in d: continue
        for f in fs:
            if f.endswith('.rs'):
                p = os.path.join(d, f); n = sum(1 for _ in open(p))
                if n > 600: big.append((n, os.path.relpath(p, repo)))
print('(c) non-test files over 600 lines in crates/ and xtask/src: %d' % len(big))
for n, p in sorted(big, reverse=True): print('    %5d %s' % (n, p))

# (d) public items reachable from lib.rs: modules declared `pub mod` all the way down; count
# `pub` items (not pub(crate)/pub(super)), including pub fields and re-exports, outside tests.
def pubmods(mod):
    text = strip_tests(open(os.path.join(src, files[mod])).read())
    return [mod + (m,) for m in re.findall(r'^\s*pub mod (\w+)\s*;', text, re.M)]
reach = [()]; i = 0
while i < len(reach):
    reach += [m for m in pubmods(reach[i]) if m in files]; i += 1
hidden = 0; total = 0
item = re.compile(r'^\s*pub (?:(?:unsafe|async|const) )*(fn|struct|enum|trait|type|const|static|use|mod)\b|^\s*pub \w+\s*:', re.M)
for m in reach:
    text = strip_tests(open(os.path.join(src, files[m])).read())
    n = len(item.findall(text)); total += n
print('(d) pub items in modules reachable from lib.rs (%d files): %d' % (len(reach), total))
print('    reachable modules: ' + ', '.join('::'.join(m) or 'lib' for m in reach))
