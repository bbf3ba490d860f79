//! Recorded activity: the kinds of work, the limits of a day's record, and
//! activity shares that add up to exactly 100% (for splitting a cost by
//! activity, as seed 004 splits a duty service 60/40 between county and
//! city). docs/activity.md.

use crate::directory::coded_enum;

coded_enum! {
    /// What the time was spent on.
    ActivityKind {
        Contact => ("contact", "Contact with a victim"),
        Duty => ("duty", "Duty hours"),
        Travel => ("travel", "Travel"),
        Court => ("court", "Court"),
        Marac => ("marac", "MARAC"),
        Other => ("other", "Other work"),
    }
}

/// The most a person can record for one day: 24 hours.
pub const MINUTES_IN_A_DAY: i64 = 24 * 60;

/// Shares of a whole, in hundredths of a percent (basis points), that add
/// up to exactly 10,000 whenever the whole is above zero: each part gets
/// its exact share rounded down, and the points left over go one each to
/// the parts with the largest remainders (the earlier part first on a
/// tie). With nothing recorded, every share is 0.
pub fn shares(parts: &[i64]) -> Vec<i64> {
    let parts: Vec<i64> = parts.iter().map(|p| (*p).max(0)).collect();
    crate::values::largest_remainder(10_000, &parts)
}

/// A share in basis points as a percentage with two decimals: "60.00%".
pub fn share_text(points: i64) -> String {
    format!("{}.{:02}%", points / 100, points % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_seeds_split_is_sixty_forty() {
        assert_eq!(shares(&[600, 400]), vec![6000, 4000]);
        assert_eq!(share_text(6000), "60.00%");
        assert_eq!(share_text(4000), "40.00%");
        assert_eq!(share_text(3333), "33.33%");
    }

    #[test]
    fn thirds_add_up_to_exactly_one_hundred_percent() {
        assert_eq!(shares(&[1, 1, 1]), vec![3334, 3333, 3333]);
        assert_eq!(shares(&[2, 1]), vec![6667, 3333]);
        // The smaller part has the larger remainder (4/6 against 2/6).
        assert_eq!(shares(&[1, 5]), vec![1667, 8333]);
        assert_eq!(shares(&[0, 0]), vec![0, 0]);
        assert_eq!(shares(&[5, 0]), vec![10000, 0]);
        assert_eq!(shares(&[]), Vec::<i64>::new());
    }

    #[test]
    fn kinds_have_codes() {
        assert_eq!(ActivityKind::parse("court"), Some(ActivityKind::Court));
        assert_eq!(ActivityKind::parse("sleep"), None);
        assert_eq!(MINUTES_IN_A_DAY, 1440);
    }

    proptest! {
        #[test]
        fn shares_always_add_up_and_stay_within_a_point_of_exact(
            parts in proptest::collection::vec(0i64..1_000_000, 1..12)
        ) {
            let got = shares(&parts);
            let total: i64 = parts.iter().sum();
            if total == 0 {
                prop_assert!(got.iter().all(|s| *s == 0));
            } else {
                prop_assert_eq!(got.iter().sum::<i64>(), 10_000);
                for (part, share) in parts.iter().zip(&got) {
                    let exact = *part as f64 * 10_000.0 / total as f64;
                    prop_assert!((*share as f64 - exact).abs() < 1.0, "{part} of {total}: {share}");
                }
            }
        }
    }
}
