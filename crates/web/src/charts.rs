//! Bar charts drawn on the server as SVG, always with their figures in a
//! table beside them (the chart is a picture of the table, not a
//! replacement for it). No script, nothing fetched from elsewhere.

/// One bar, placed in the chart's own units (a 600 × 200 view box).
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// What the bar stands for ("23 Nov") and its figure.
    pub label: String,
    pub value: i64,
}

/// A chart of figures in order, such as one per week.
pub struct BarChart {
    pub title: String,
    pub bars: Vec<Bar>,
    /// The largest figure, which the top of the chart stands for.
    pub top: i64,
}

/// The chart's drawing area (the view box is a little larger, for labels).
const WIDTH: i64 = 600;
const HEIGHT: i64 = 180;

impl BarChart {
    pub fn new(title: &str, figures: &[(String, i64)]) -> BarChart {
        let top = figures.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
        let slot = WIDTH / (figures.len().max(1) as i64);
        let bars = figures
            .iter()
            .enumerate()
            .map(|(i, (label, value))| {
                let height = value * HEIGHT / top;
                Bar {
                    x: i as i64 * slot + slot / 8,
                    y: HEIGHT - height,
                    width: slot * 3 / 4,
                    height,
                    label: label.clone(),
                    value: *value,
                }
            })
            .collect();
        BarChart {
            title: title.to_string(),
            bars,
            top,
        }
    }

    /// Where a bar's label sits along the bottom: its middle.
    pub fn middle(bar: &Bar) -> i64 {
        bar.x + bar.width / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_chart_and_the_others_are_in_proportion() {
        let chart = BarChart::new(
            "Referrals",
            &[("a".into(), 10), ("b".into(), 5), ("c".into(), 0)],
        );
        assert_eq!(chart.top, 10);
        assert_eq!(chart.bars[0].height, HEIGHT);
        assert_eq!(chart.bars[1].height, HEIGHT / 2);
        assert_eq!(chart.bars[2].height, 0);
        assert_eq!(chart.bars[1].y, HEIGHT - HEIGHT / 2);
        assert!(chart.bars[0].x + chart.bars[0].width <= chart.bars[1].x);
        let empty = BarChart::new("None", &[]);
        assert!(empty.bars.is_empty());
    }
}
