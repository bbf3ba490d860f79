//! "Flag and tag": a victim heard at a MARAC is flagged for every service
//! in that MARAC's area that may see them, so that a repeat is spotted at
//! intake. People are held per service, so the flag is found by the same
//! name and date of birth; it says where and when, and nothing else.

use domain::marac::{AreaIn, area_covers, repeat_until};
use jiff::ToSpan;
use jiff::civil::Date;
use store::directory::Service;

use crate::Result;

/// Someone of this name and date of birth was referred to a MARAC whose
/// area covers the service, within the last 12 months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaracFlag {
    pub marac_name: String,
    pub referred_on: Date,
    /// The last day a further incident makes a repeat referral.
    pub repeat_until: Date,
}

/// The flags a service sees on a person, on `today`.
pub(crate) async fn marac_flags(
    conn: &mut store::Conn,
    person_id: &str,
    service: &Service,
    today: Date,
) -> Result<Vec<MaracFlag>> {
    let since = today.saturating_sub(1.year()).saturating_add(1.day());
    let rows = store::marac::referred_alike(conn, person_id, &since.to_string()).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let service_parent = store::directory::find_area(conn, &service.area_id)
        .await?
        .and_then(|a| a.parent_id);
    let service_area = AreaIn {
        id: &service.area_id,
        parent: service_parent.as_deref(),
    };
    Ok(rows
        .iter()
        .filter(|r| {
            area_covers(
                AreaIn {
                    id: &r.area_id,
                    parent: r.area_parent_id.as_deref(),
                },
                service_area,
            )
        })
        .filter_map(|r| {
            let referred_on: Date = r.referred_on.parse().ok()?;
            let until = repeat_until(referred_on);
            (until >= today).then(|| MaracFlag {
                marac_name: r.marac_name.clone(),
                referred_on,
                repeat_until: until,
            })
        })
        .collect())
}
