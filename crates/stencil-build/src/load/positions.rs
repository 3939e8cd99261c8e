//! Line:column of every node of a document, by JSON pointer: a fast scanner for JSON text,
//! yaml-rust2's events (with markers) for YAML. Mapping entries are placed at their key,
//! sequence items at their first character (block collections: their first scalar).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

use super::walk::push_token;
use crate::diag::{escape_token, Position};

/// Line:column of every node of a document, by JSON pointer.
pub(crate) struct PosIndex {
    positions: Positions,
}

/// Positions by the 64-bit hash of the pointer: no string kept per node (a 20 MB document has
/// millions of them; a collision would only misplace a diagnostic).
#[derive(Default, Debug)]
pub(crate) struct Positions(HashMap<u64, Position>);

impl Positions {
    fn key(pointer: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        pointer.hash(&mut h);
        h.finish()
    }

    fn insert(&mut self, pointer: &str, pos: Position) {
        self.0.insert(Self::key(pointer), pos);
    }

    fn insert_new(&mut self, pointer: &str, pos: Position) {
        self.0.entry(Self::key(pointer)).or_insert(pos);
    }

    pub(crate) fn get(&self, pointer: &str) -> Option<Position> {
        self.0.get(&Self::key(pointer)).copied()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.len()
    }
}

enum Key {
    Expect,
    Have(String),
    /// A complex key (`? [a, b]`): the value is not addressable by pointer.
    Complex,
}

enum Frame {
    Map {
        ptr: String,
        key: Key,
    },
    Seq {
        ptr: String,
        next: usize,
    },
    /// Inside a complex key or its value: skipped, counting depth.
    Skip(usize),
}

enum Node {
    Map,
    Seq,
    Scalar(String),
}

#[derive(Default)]
struct Indexer {
    positions: Positions,
    stack: Vec<Frame>,
    /// Collections (the root, sequence items) placed at their first scalar, because block
    /// collections report their start late; with their start marker, used if they are empty.
    pending: Vec<(String, Position)>,
    started: bool,
}

impl PosIndex {
    pub(crate) fn build(text: &str) -> PosIndex {
        let body = text.trim_start_matches('\u{feff}');
        if body.trim_start().starts_with('{') {
            if let Some(positions) = json(text) {
                return PosIndex { positions };
            }
        }
        yaml(text)
    }
}

/// Index YAML (or any text yaml-rust2 reads) from parser events.
fn yaml(text: &str) -> PosIndex {
    {
        let mut ix = Indexer::default();
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            let pos = Position {
                line: mark.line().max(1),
                column: mark.col() + 1,
            };
            match event {
                Event::StreamEnd | Event::DocumentEnd => break,
                Event::MappingEnd | Event::SequenceEnd => ix.close(),
                Event::MappingStart(..) => ix.open(Node::Map, pos),
                Event::SequenceStart(..) => ix.open(Node::Seq, pos),
                Event::Scalar(s, ..) => ix.open(Node::Scalar(s), pos),
                Event::Alias(_) => ix.open(Node::Scalar(String::new()), pos),
                _ => {}
            }
        }
        PosIndex {
            positions: ix.positions,
        }
    }
}

impl PosIndex {
    /// The position of `pointer`, or of its longest prefix that exists in the text.
    pub(crate) fn find(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(pos);
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
        }
    }
}

impl Indexer {
    /// Enter a collection at `ptr` (placed at its first scalar) or place a scalar.
    fn child(&mut self, node: &Node, ptr: String, pos: Position) {
        match node {
            Node::Scalar(_) => {
                self.positions.insert(&ptr, pos);
            }
            Node::Map => {
                self.pending.push((ptr.clone(), pos));
                self.stack.push(Frame::Map {
                    ptr,
                    key: Key::Expect,
                });
            }
            Node::Seq => {
                self.pending.push((ptr.clone(), pos));
                self.stack.push(Frame::Seq { ptr, next: 0 });
            }
        }
    }

    fn open(&mut self, node: Node, pos: Position) {
        let container = !matches!(node, Node::Scalar(_));
        if !container {
            for (ptr, _) in self.pending.drain(..) {
                self.positions.insert(&ptr, pos);
            }
        }
        if !self.started {
            self.started = true;
            self.child(&node, String::new(), pos);
            return;
        }
        let mut enter = None;
        match self.stack.last_mut() {
            None => {}
            Some(Frame::Skip(n)) if container => *n += 1,
            Some(Frame::Skip(_)) => {}
            Some(Frame::Map { ptr, key }) => match std::mem::replace(key, Key::Expect) {
                Key::Expect => match &node {
                    Node::Scalar(s) => {
                        self.positions
                            .insert(&format!("{ptr}/{}", escape_token(s)), pos);
                        *key = Key::Have(s.clone());
                    }
                    _ => {
                        *key = Key::Complex;
                        self.stack.push(Frame::Skip(1));
                    }
                },
                // The value: placed at its key already.
                Key::Have(k) => {
                    if container {
                        let child = format!("{ptr}/{}", escape_token(&k));
                        self.stack.push(match node {
                            Node::Seq => Frame::Seq {
                                ptr: child,
                                next: 0,
                            },
                            _ => Frame::Map {
                                ptr: child,
                                key: Key::Expect,
                            },
                        });
                    }
                }
                Key::Complex => {
                    if container {
                        self.stack.push(Frame::Skip(1));
                    }
                }
            },
            Some(Frame::Seq { ptr, next }) => {
                enter = Some(format!("{ptr}/{next}"));
                *next += 1;
            }
        }
        if let Some(child) = enter {
            self.child(&node, child, pos);
        }
    }

    fn close(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Skip(n)) if *n > 1 => *n -= 1,
            Some(_) => {
                if let Some(Frame::Map { ptr, .. } | Frame::Seq { ptr, .. }) = self.stack.pop() {
                    // An empty collection: its start marker is all there is.
                    if self.pending.last().is_some_and(|(p, _)| *p == ptr) {
                        if let Some((p, start)) = self.pending.pop() {
                            self.positions.insert(&p, start);
                        }
                    }
                }
            }
            None => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

/// A JSON container being scanned.
struct JsonFrame {
    object: bool,
    /// Length of the pointer before this container's token was appended.
    parent_len: usize,
    next: usize,
    /// In an object: the key whose value comes next.
    key: Option<String>,
}

/// Index JSON text with a byte scanner; `None` when it is not JSON after all (a YAML flow
/// mapping), so that the YAML indexer is used.
fn json(text: &str) -> Option<Positions> {
    let b = text.as_bytes();
    let mut positions = Positions::default();
    let mut stack: Vec<JsonFrame> = Vec::new();
    let mut ptr = String::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    if text.starts_with('\u{feff}') {
        i = 3;
    }
    while i < b.len() {
        let c = b[i];
        let pos = Position { line, column: col };
        match c {
            b'\n' => {
                line += 1;
                col = 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b':' | b',' => {}
            b'{' | b'[' => {
                let parent_len = ptr.len();
                value_start(&mut stack, &mut ptr, &mut positions, pos, true);
                stack.push(JsonFrame {
                    object: c == b'{',
                    parent_len,
                    next: 0,
                    key: None,
                });
            }
            b'}' | b']' => {
                let frame = stack.pop().filter(|f| f.object == (c == b'}'))?;
                ptr.truncate(frame.parent_len);
                if stack.is_empty() {
                    return Some(positions);
                }
            }
            b'"' => {
                let (s, end) = string(b, i)?;
                let is_key = stack.last().is_some_and(|f| f.object && f.key.is_none());
                if is_key {
                    let len = ptr.len();
                    push_token(&mut ptr, &s);
                    positions.insert(&ptr, pos);
                    ptr.truncate(len);
                    if let Some(f) = stack.last_mut() {
                        f.key = Some(s);
                    }
                } else {
                    value_start(&mut stack, &mut ptr, &mut positions, pos, false);
                }
                col += text.get(i..end).map_or(0, |s| s.chars().count());
                i = end;
                continue;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                value_start(&mut stack, &mut ptr, &mut positions, pos, false);
                let start = i;
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                {
                    i += 1;
                }
                col += i - start;
                continue;
            }
            _ => return None,
        }
        col += 1;
        i += 1;
    }
    Some(positions)
}

/// A value starts at `pos`: place it (array items; object values are placed at their key),
/// and for a container append its token to `ptr`.
fn value_start(
    stack: &mut [JsonFrame],
    ptr: &mut String,
    positions: &mut Positions,
    pos: Position,
    container: bool,
) {
    match stack.last_mut() {
        None => {
            positions.insert_new("", pos);
        }
        Some(f) if f.object => {
            let key = f.key.take().unwrap_or_default();
            if container {
                push_token(ptr, &key);
            }
        }
        Some(f) => {
            let len = ptr.len();
            ptr.push('/');
            ptr.push_str(&f.next.to_string());
            f.next += 1;
            positions.insert(ptr, pos);
            if !container {
                ptr.truncate(len);
            }
        }
    }
}

/// The JSON string starting at `b[start]` (a `"`), unescaped, and the index after it.
fn string(b: &[u8], start: usize) -> Option<(String, usize)> {
    let mut i = start + 1;
    let mut raw_start = i;
    let mut out: Vec<u8> = Vec::new();
    while i < b.len() {
        match b[i] {
            b'"' => {
                out.extend_from_slice(&b[raw_start..i]);
                return Some((String::from_utf8_lossy(&out).into_owned(), i + 1));
            }
            b'\\' => {
                out.extend_from_slice(&b[raw_start..i]);
                let e = *b.get(i + 1)?;
                i += 2;
                let ch = match e {
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'u' => {
                        let hi = hex4(b, i)?;
                        i += 4;
                        let pair = b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u');
                        if (0xD800..0xDC00).contains(&hi) && pair {
                            let lo = hex4(b, i + 2)?;
                            i += 6;
                            let code =
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        } else {
                            char::from_u32(hi).unwrap_or('\u{fffd}')
                        }
                    }
                    other => char::from(other),
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                raw_start = i;
            }
            _ => i += 1,
        }
    }
    None
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions() {
        let text = "openapi: 3.1.0\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: a\n          in: query\n        - $ref: '#/x'\n";
        let idx = PosIndex::build(text);
        assert_eq!(idx.find(""), Some(Position { line: 1, column: 1 }));
        assert_eq!(
            idx.find("/paths/~1pets/get"),
            Some(Position { line: 4, column: 5 })
        );
        assert_eq!(
            idx.find("/paths/~1pets/get/parameters/0"),
            Some(Position {
                line: 6,
                column: 11
            })
        );
        assert_eq!(
            idx.find("/paths/~1pets/get/parameters/1/$ref"),
            Some(Position {
                line: 8,
                column: 11
            })
        );
        assert_eq!(
            idx.find("/paths/~1pets/get/parameters/1/nope/x"),
            Some(Position {
                line: 8,
                column: 11
            })
        );
    }

    #[test]
    fn json_positions() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c/d\": 2}]},\n  \"e\": 3\n}";
        let idx = PosIndex::build(text);
        assert_eq!(
            idx.find("/a/b/1/c~1d"),
            Some(Position {
                line: 2,
                column: 19
            })
        );
        assert_eq!(idx.find("/e"), Some(Position { line: 3, column: 3 }));
    }

    #[test]
    fn json_scanner() {
        let text = "{\n  \"a\\/b\": {\"c\": [1, {\"d\": \"x\\u00e9\"}, []]},\n\t\"é\": [true, null, -1.5e3],\n  \"\\ud83d\\ude00\": {}\n}";
        let fast = json(text).unwrap();
        let at = |p: &str| fast.get(p).map(|p| (p.line, p.column));
        assert_eq!(at("/a~1b/c/1"), Some((2, 21)));
        assert_eq!(at("/a~1b/c/1/d"), Some((2, 22)));
        assert_eq!(at("/a~1b/c/2"), Some((2, 39)));
        assert_eq!(at("/é"), Some((3, 2)));
        assert_eq!(at("/é/2"), Some((3, 20)));
        assert_eq!(at("/\u{1f600}"), Some((4, 3)));
        assert_eq!(fast.len(), 12, "{fast:?}");
        assert!(json("{a: 1}").is_none());
        assert!(json("{\"a\": [1, 2}").is_none());
    }

    #[test]
    fn json_scanner_agrees_with_yaml_indexer() {
        let text = "{\"openapi\": \"3.1.0\",\n  \"paths\": {\"/a\": {\"get\": {\"tags\": [\"x\", \"y\"],\n    \"responses\": {\"200\": {\"description\": \"ok\"}}}}}}";
        let fast = json(text).unwrap();
        let slow = yaml(text).positions;
        assert_eq!(fast.len(), slow.len());
        // Not the root: `{` here, the first key there (yaml-rust2 reports block starts late).
        for p in [
            "/openapi",
            "/paths",
            "/paths/~1a",
            "/paths/~1a/get",
            "/paths/~1a/get/tags",
            "/paths/~1a/get/tags/0",
            "/paths/~1a/get/tags/1",
            "/paths/~1a/get/responses/200/description",
        ] {
            assert!(fast.get(p).is_some(), "{p}");
            assert_eq!(fast.get(p), slow.get(p), "{p}");
        }
    }
}
