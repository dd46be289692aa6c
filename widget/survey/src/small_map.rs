//! A map kept as a `Vec` sorted by key, for the survey's small maps: a text's languages, a
//! response's context, a stage's last answer or sampling rate. They hold a handful of entries, and
//! `BTreeMap`, which would do the same job, costs the widget kilobytes of wasm for each key and
//! value type it is used with (BENCHMARKS.md). Same iteration order, same JSON (an object); the
//! OpenAPI document describes these fields as the `BTreeMap` they stand for (`value_type`).

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// A map of a few entries, kept sorted by key; serialized as a map, like `BTreeMap`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<K, V> SmallMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SmallMap(Vec::new())
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The entries, by key.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.0.iter())
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in their keys' order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value under `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }

    /// The entry under `key`.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        let i = self.position(key).ok()?;
        self.0.get(i).map(|(k, v)| (k, v))
    }

    /// Whether there is a value under `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.position(key).is_ok()
    }

    /// Puts `value` under `key`, returning the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes the value under `key` out.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.position(key).ok()?;
        Some(self.0.remove(i).1)
    }
}

/// The entries of a [`SmallMap`], by key.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for SmallMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Inserted one by one (a later duplicate key wins, as in `BTreeMap`): no sorting code.
impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = SmallMap::new();
        map.extend(entries);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for SmallMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SmallMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for SmallMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SmallMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SmallMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_as_a_btreemap_for_every_operation_the_survey_uses() {
        let entries = [("pt-BR", 2), ("en", 1), ("pl", 3), ("en", 4), ("de", 5)];
        let small: SmallMap<String, i32> = entries.iter().map(|(k, v)| ((*k).into(), *v)).collect();
        let btree: BTreeMap<String, i32> = entries.iter().map(|(k, v)| ((*k).into(), *v)).collect();
        assert!(
            small.iter().eq(btree.iter()),
            "same entries in the same order"
        );
        assert_eq!(small.len(), btree.len());
        for key in ["en", "pl", "pt-BR", "de", "fr", ""] {
            assert_eq!(small.get(key), btree.get(key), "{key}");
            assert_eq!(small.contains_key(key), btree.contains_key(key), "{key}");
            assert_eq!(small.get_key_value(key), btree.get_key_value(key), "{key}");
        }
        assert!(small.keys().eq(btree.keys()));
        assert!(small.values().eq(btree.values()));
        assert_eq!(small.iter().next_back(), btree.iter().next_back());

        let (mut small, mut btree) = (small, btree);
        assert_eq!(small.insert("en".into(), 9), btree.insert("en".into(), 9));
        assert_eq!(small.insert("cs".into(), 7), btree.insert("cs".into(), 7));
        assert_eq!(small.remove("pl"), btree.remove("pl"));
        assert_eq!(small.remove("pl"), btree.remove("pl"));
        assert!(small.into_iter().eq(btree));
    }

    #[test]
    fn is_the_same_json_as_a_btreemap_both_ways() {
        let json = r#"{"support":5,"browsing":1,"checkout":3,"browsing":2}"#;
        let small: SmallMap<crate::Stage, i64> = serde_json::from_str(json).expect("a map");
        let btree: BTreeMap<crate::Stage, i64> = serde_json::from_str(json).expect("a map");
        assert_eq!(
            serde_json::to_string(&small).expect("json"),
            serde_json::to_string(&btree).expect("json")
        );
        assert_eq!(format!("{small:?}"), format!("{btree:?}"));
        let empty: SmallMap<String, String> = serde_json::from_str("{}").expect("a map");
        assert!(empty.is_empty());
        let err = serde_json::from_str::<SmallMap<String, String>>("[]").expect_err("not a map");
        assert!(err.to_string().contains("a map"), "{err}");
    }
}
