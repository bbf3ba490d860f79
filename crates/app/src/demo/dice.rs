//! A seeded pseudo-random generator and invented name parts.

/// A small, seeded pseudo-random generator (xorshift64*), so generated data
/// sets are the same every time for the same seed.
pub(super) struct Dice(pub u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A whole number in `0..n`.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` in 100.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks from (item, weight) pairs.
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|i| i.1).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[0].0
    }
}

// Invented name parts, combined so names are varied as real ones are
// (searches by name then find few people, as they would).
pub(super) const GIVEN_START: &[&str] = &[
    "Ar", "Bel", "Cas", "Dar", "El", "Fen", "Gra", "Hal", "Is", "Jo", "Kit", "Lu", "Mar", "Nel",
    "Ol", "Pip", "Ra", "Sol", "Tam", "Um", "Val", "Wen", "Ya", "Zan", "Bri", "Cor", "Del", "Em",
    "Fi", "Gil",
];
pub(super) const GIVEN_END: &[&str] = &[
    "a", "an", "en", "ie", "in", "is", "o", "on", "y", "ey", "ia", "ette", "ian", "ora", "us",
    "wyn", "lie", "ra", "ten", "ric",
];
pub(super) const FAMILY_START: &[&str] = &[
    "Ash", "Brook", "Cross", "Dale", "East", "Fair", "Glen", "Holt", "Iver", "Kings", "Long",
    "Marsh", "Nor", "Oak", "Pen", "Quar", "Red", "Stan", "Thorn", "Up", "Ven", "West", "Yard",
    "Alder", "Birch", "Cold", "Dun", "Elm", "Fox", "Grey", "Hart", "Ivy", "Juni", "Kel", "Lark",
    "Moor", "Nettle", "Orch", "Pike", "Rook",
];
pub(super) const FAMILY_MIDDLE: &[&str] = &[
    "", "en", "er", "ing", "le", "by", "wood", "stone", "ridge", "brook",
];
pub(super) const FAMILY_END: &[&str] = &[
    "by", "combe", "field", "ford", "ham", "ley", "mere", "ton", "well", "worth", "den", "hurst",
    "stead", "wick", "cott",
];
