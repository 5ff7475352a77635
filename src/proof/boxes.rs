//! Boxes: products of atom sets, one set per dimension. A statement selects a box; a union of
//! boxes minus another is cut into disjoint boxes one dimension at a time.

/// A set of atom indices of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Set {
    words: Vec<u64>,
}

impl Set {
    /// The empty set of a dimension of `size` atoms.
    pub(crate) fn empty(size: usize) -> Set {
        Set {
            words: vec![0; size.div_ceil(64)],
        }
    }

    /// Every atom of a dimension of `size` atoms.
    pub(crate) fn full(size: usize) -> Set {
        let mut s = Set::empty(size);
        for i in 0..size {
            s.insert(i);
        }
        s
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    fn and(&self, other: &Set) -> Set {
        Set {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    fn and_not(&self, other: &Set) -> Set {
        Set {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & !b)
                .collect(),
        }
    }

    /// The smallest member.
    pub(crate) fn first(&self) -> Option<usize> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The members, in order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i * 64 + b)
        })
    }
}

/// A product of one atom set per dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Cube {
    pub(crate) dims: Vec<Set>,
}

impl Cube {
    pub(crate) fn is_empty(&self) -> bool {
        self.dims.iter().any(Set::is_empty)
    }

    /// Whether the point (one atom per dimension) lies in the cube.
    pub(crate) fn contains_point(&self, point: &[usize]) -> bool {
        self.dims
            .iter()
            .zip(point)
            .all(|(set, &atom)| set.contains(atom))
    }

    pub(crate) fn intersect(&self, other: &Cube) -> Cube {
        Cube {
            dims: self
                .dims
                .iter()
                .zip(&other.dims)
                .map(|(a, b)| a.and(b))
                .collect(),
        }
    }

    /// `self` minus `other`, as disjoint cubes: the part outside `other` in the first
    /// dimension, then the part inside it there but outside in the second, and so on.
    pub(crate) fn minus(&self, other: &Cube) -> Vec<Cube> {
        if self.intersect(other).is_empty() {
            return vec![self.clone()];
        }
        let mut out = Vec::new();
        let mut inside = self.clone();
        for d in 0..self.dims.len() {
            let (Some(mine), Some(theirs)) = (inside.dims.get(d), other.dims.get(d)) else {
                continue;
            };
            let outside = mine.and_not(theirs);
            if !outside.is_empty() {
                let mut piece = inside.clone();
                if let Some(slot) = piece.dims.get_mut(d) {
                    *slot = outside;
                }
                out.push(piece);
            }
            let kept = mine.and(theirs);
            if let Some(slot) = inside.dims.get_mut(d) {
                *slot = kept;
            }
        }
        out
    }
}

/// `cubes` minus every cube of `remove`, as disjoint cubes (when `cubes` are disjoint).
pub(crate) fn subtract(cubes: Vec<Cube>, remove: &[Cube]) -> Vec<Cube> {
    let mut current = cubes;
    for r in remove {
        if current.is_empty() {
            break;
        }
        current = current.iter().flat_map(|c| c.minus(r)).collect();
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(size: usize, members: &[usize]) -> Set {
        let mut s = Set::empty(size);
        for &m in members {
            s.insert(m);
        }
        s
    }

    fn cube(dims: &[&[usize]]) -> Cube {
        Cube {
            dims: dims.iter().map(|m| set(4, m)).collect(),
        }
    }

    fn points(cubes: &[Cube]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = cubes
            .iter()
            .flat_map(|c| {
                c.dims[0]
                    .iter()
                    .flat_map(move |a| c.dims[1].iter().map(move |b| (a, b)))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn minus_leaves_exactly_the_points_outside_as_disjoint_cubes() {
        let a = cube(&[&[0, 1, 2], &[0, 1]]);
        let b = cube(&[&[1], &[1, 3]]);
        let rest = a.minus(&b);
        assert_eq!(points(&rest), [(0, 0), (0, 1), (1, 0), (2, 0), (2, 1)]);
        // Disjoint: no point twice.
        let all: usize = rest
            .iter()
            .map(|c| c.dims[0].iter().count() * c.dims[1].iter().count())
            .sum();
        assert_eq!(all, 5);
        assert_eq!(a.minus(&cube(&[&[3], &[0]])), std::slice::from_ref(&a));
        assert!(subtract(vec![a.clone()], &[cube(&[&[0, 1, 2], &[0, 1, 2]])]).is_empty());
    }

    #[test]
    fn sets_are_bitsets() {
        let s = set(130, &[0, 64, 129]);
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 64, 129]);
        assert_eq!(s.first(), Some(0));
        assert!(Set::full(130).contains(129));
        assert!(Set::empty(3).is_empty());
    }
}
