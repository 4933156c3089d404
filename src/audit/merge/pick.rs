//! The three-way choice for one field, and for a keyed list of items: what
//! every part of the merge is made of.

use serde::Serialize;

use super::super::conflict::{Conflict, ConflictValue};
use super::super::model::Timestamp;

/// Who set a side's value, and when (for a conflict's values).
pub(super) type Stamp = (String, Timestamp);

/// The conflicts one merge makes, in the order met.
#[derive(Default)]
pub(super) struct Ctx {
    pub made: Vec<Conflict>,
}

/// A value as the record writes it, on one line (what a conflict keeps).
pub(crate) fn ron_value<T: Serialize>(value: &T) -> String {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string(value)
        .unwrap_or_else(|e| format!("(not writable: {e})"))
}

impl Ctx {
    /// The merged value of one field: the side that changed it from `base`
    /// wins; when both changed it to different values, ours stays in the
    /// record and a conflict keeps both. With no base (both sides added the
    /// item), two different values conflict.
    pub fn pick<T: PartialEq + Clone + Serialize>(
        &mut self,
        base: Option<&T>,
        ours: &T,
        theirs: &T,
        path: impl FnOnce() -> String,
        stamps: impl FnOnce() -> (Stamp, Stamp),
    ) -> T {
        if ours == theirs || base == Some(theirs) {
            return ours.clone();
        }
        if base == Some(ours) {
            return theirs.clone();
        }
        self.conflict(path(), ours, theirs, stamps());
        ours.clone()
    }

    /// Keep both values of a field as a conflict.
    pub fn conflict<T: Serialize>(
        &mut self,
        path: String,
        ours: &T,
        theirs: &T,
        ((by1, at1), (by2, at2)): (Stamp, Stamp),
    ) {
        self.made.push(Conflict {
            path,
            values: vec![
                ConflictValue {
                    value: ron_value(ours),
                    by: by1,
                    at: at1,
                },
                ConflictValue {
                    value: ron_value(theirs),
                    by: by2,
                    at: at2,
                },
            ],
        });
    }
}

/// One item, keyed, as each side holds it.
struct Three<'a, T> {
    pub base: Option<&'a T>,
    pub ours: Option<&'a T>,
    pub theirs: Option<&'a T>,
}

/// Merge two keyed lists against their base: every key of either side, in
/// ours' order then theirs' new ones. An item deleted on one side and
/// untouched on the other stays deleted; deleted on one side but changed on
/// the other is kept (nothing a side worked on is lost); on both sides it
/// is merged by `both`.
pub(super) fn keyed<'a, T: PartialEq + Clone, K: PartialEq + Ord + Clone>(
    base: &'a [T],
    ours: &'a [T],
    theirs: &'a [T],
    key: impl Fn(&T) -> K,
    mut both: impl FnMut(Option<&'a T>, &'a T, &'a T) -> T,
) -> Vec<T> {
    use std::collections::BTreeMap;
    let index =
        |list: &'a [T]| -> BTreeMap<K, &'a T> { list.iter().map(|t| (key(t), t)).collect() };
    let (b, o, t) = (index(base), index(ours), index(theirs));
    let mut keys: Vec<K> = ours.iter().map(&key).collect();
    keys.extend(theirs.iter().map(&key).filter(|k| !o.contains_key(k)));
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let three = Three {
            base: b.get(&k).copied(),
            ours: o.get(&k).copied(),
            theirs: t.get(&k).copied(),
        };
        match (three.ours, three.theirs) {
            (Some(x), Some(y)) if x == y => out.push(x.clone()),
            (Some(x), Some(y)) => out.push(both(three.base, x, y)),
            (Some(one), None) | (None, Some(one)) => {
                if three.base != Some(one) {
                    out.push(one.clone());
                }
            }
            (None, None) => {}
        }
    }
    out
}
