//! The results page's timeline: matching documents per year as a bar chart, drawn here as inline SVG
//! (no script, and the page's Content-Security-Policy allows no inline style: the colours are in
//! `kho.css`).
//!
//! Every year from the first to the last with results has a slot, so gaps show as gaps. A bar is a link
//! that narrows the search to its year (`year:2011`, replacing any year filter, as the facets do); it
//! carries a `<title>` and an `aria-label` ("2011: 7 kết quả") for tooltips and screen readers, and
//! visible labels: the count above it, the year below (every few years when there are many). Documents
//! without a date are counted in a line under the chart.

use kho_core::facets::FacetCount;
use kho_core::query::{with_filter, ActiveFilter, FilterField};
use kho_core::search::Sort;

use super::{escape, format_count, search_link};

/// The chart's drawing area at its natural size, in CSS pixels (it shrinks on narrow screens).
const MAX_WIDTH: f64 = 720.0;
const HEIGHT: f64 = 150.0;
/// Room above the bars for the counts, and below for the years.
const TOP: f64 = 20.0;
const BOTTOM: f64 = 24.0;
const SIDE: f64 = 4.0;
/// The narrowest a year's slot gets (many years scroll sideways rather than shrink further).
const MIN_SLOT: f64 = 6.0;
/// The widest a bar gets.
const MAX_BAR: f64 = 40.0;
/// Year labels shown at most (every few years beyond that).
const MAX_YEAR_LABELS: usize = 12;
/// Slots narrower than this get no count label.
const MIN_SLOT_FOR_COUNTS: f64 = 22.0;

/// One year of the chart.
struct Year {
    year: u32,
    count: u64,
}

/// The timeline for the results of `q`, or nothing when fewer than two years have results (one bar
/// says no more than the year facet).
pub fn timeline(q: &str, timeline: &[FacetCount], total: usize, active: &[ActiveFilter], sort: Sort) -> String {
    let years = fill_gaps(timeline);
    if years.iter().filter(|y| y.count > 0).count() < 2 {
        return String::new();
    }
    let current = active.iter().find(|f| f.field == FilterField::Year).map(|f| f.value.as_str());
    let max = years.iter().map(|y| y.count).max().unwrap_or(1).max(1) as f64;
    // The chart spans the results column whatever the number of years; bars stay narrow.
    let slot = ((MAX_WIDTH - 2.0 * SIDE) / years.len() as f64).max(MIN_SLOT);
    let width = slot * years.len() as f64 + 2.0 * SIDE;
    let plot = HEIGHT - TOP - BOTTOM;
    let baseline = TOP + plot;
    let bar_width = (slot * 0.72).clamp(3.0, MAX_BAR);
    let label_every = years.len().div_ceil(MAX_YEAR_LABELS);

    let mut svg = format!(
        r#"<svg class="timeline-chart" role="group" aria-labelledby="timeline-heading" width="{width:.0}" height="{HEIGHT:.0}" viewBox="0 0 {width:.1} {HEIGHT:.0}" xmlns="http://www.w3.org/2000/svg">"#
    );
    svg.push_str(&format!(
        r#"<line class="axis" x1="{SIDE}" y1="{baseline:.1}" x2="{x2:.1}" y2="{baseline:.1}"/>"#,
        x2 = width - SIDE
    ));
    for (position, year) in years.iter().enumerate() {
        let slot_x = SIDE + slot * position as f64;
        let center = slot_x + slot / 2.0;
        let label =
            format!("{}: {} kết quả", year.year, format_count(usize::try_from(year.count).unwrap_or(usize::MAX)));
        let year_text = if position % label_every == 0 || position + 1 == years.len() {
            format!(
                r#"<text class="year" x="{center:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                year.year,
                y = HEIGHT - 7.0
            )
        } else {
            String::new()
        };
        if year.count == 0 {
            svg.push_str(&format!(
                r#"<g class="empty-year"><title>{label}</title>{year_text}</g>"#,
                label = escape(&label)
            ));
            continue;
        }
        let height = (year.count as f64 / max * plot).max(2.0);
        let top = baseline - height;
        let count_text = if slot >= MIN_SLOT_FOR_COUNTS {
            format!(
                r#"<text class="count" x="{center:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                format_count(usize::try_from(year.count).unwrap_or(usize::MAX)),
                y = top - 5.0
            )
        } else {
            String::new()
        };
        let value = year.year.to_string();
        let is_current = current == Some(value.as_str());
        let href = search_link(&with_filter(q, FilterField::Year, &value), sort);
        svg.push_str(&format!(
            r#"<a class="bar{current_class}" href="{href}" aria-label="{label}" data-year="{value}"{aria_current}><title>{label}</title><rect class="hit-area" x="{slot_x:.1}" y="0" width="{slot:.1}" height="{HEIGHT:.0}"/><rect class="value" x="{x:.1}" y="{top:.1}" width="{bar_width:.1}" height="{height:.1}" rx="2"/>{count_text}{year_text}</a>"#,
            current_class = if is_current { " current" } else { "" },
            aria_current = if is_current { r#" aria-current="true""# } else { "" },
            href = escape(&href),
            label = escape(&label),
            x = center - bar_width / 2.0,
        ));
    }
    svg.push_str("</svg>");

    let dated: u64 = years.iter().map(|y| y.count).sum();
    let undated = (total as u64).saturating_sub(dated);
    let note = if undated > 0 {
        format!(
            r#"<p class="timeline-note muted">{} tài liệu không rõ năm.</p>"#,
            format_count(usize::try_from(undated).unwrap_or(usize::MAX))
        )
    } else {
        String::new()
    };
    let hint = match current.filter(|year| years.iter().any(|y| y.year.to_string() == *year)) {
        Some(year) => format!("· đang lọc năm {}, bấm vào năm khác để đổi", escape(year)),
        None => "· bấm vào một năm để lọc".to_owned(),
    };
    format!(
        r#"<figure class="timeline"><figcaption id="timeline-heading">Kết quả theo năm <span class="muted">{hint}</span></figcaption><div class="timeline-scroll">{svg}</div>{note}</figure>"#
    )
}

/// The years from the first to the last with results, those without results at 0.
fn fill_gaps(timeline: &[FacetCount]) -> Vec<Year> {
    let mut counted: Vec<Year> =
        timeline.iter().filter_map(|f| Some(Year { year: f.value.parse().ok()?, count: f.count })).collect();
    counted.sort_by_key(|y| y.year);
    let (Some(first), Some(last)) = (counted.first().map(|y| y.year), counted.last().map(|y| y.year)) else {
        return Vec::new();
    };
    (first..=last)
        .map(|year| Year { year, count: counted.iter().find(|y| y.year == year).map_or(0, |y| y.count) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::query::active_filters;

    fn years(counts: &[(&str, u64)]) -> Vec<FacetCount> {
        counts.iter().map(|(y, c)| FacetCount { value: (*y).to_owned(), name: (*y).to_owned(), count: *c }).collect()
    }

    #[test]
    fn draws_one_linked_bar_per_year_with_results() {
        let q = "sạch hơn kind:news";
        let html =
            timeline(q, &years(&[("2011", 7), ("2012", 4), ("2014", 1)]), 13, &active_filters(q), Sort::Relevance);
        assert_eq!(html.matches(r#"<a class="bar""#).count(), 3, "{html}");
        assert_eq!(html.matches(r#"<rect class="value""#).count(), 3);
        assert!(html.contains(r#"<title>2011: 7 kết quả</title>"#), "{html}");
        assert!(html.contains(r#"aria-label="2014: 1 kết quả""#));
        // The gap year is drawn empty, not as a link.
        assert!(html.contains(r#"<g class="empty-year"><title>2013: 0 kết quả</title>"#), "{html}");
        assert!(
            html.contains(r#"href="/?q=s%E1%BA%A1ch+h%C6%A1n+kind%3Anews+year%3A2011""#),
            "the bar adds the year filter: {html}"
        );
        assert!(html.contains(r#">2012</text>"#) && html.contains(r#">7</text>"#));
        assert!(html.contains("1 tài liệu không rõ năm."), "{html}");
        // The tallest bar fills the plot; the others are to scale.
        assert!(html.contains(r#"height="106.0" rx="2""#), "{html}");
    }

    #[test]
    fn replaces_a_year_filter_and_marks_the_current_year() {
        let q = "mía year:2009..2013";
        let html = timeline(q, &years(&[("2012", 2), ("2013", 5)]), 7, &active_filters(q), Sort::Date);
        assert!(html.contains(r#"href="/?q=m%C3%ADa+year%3A2013&amp;sort=date""#), "{html}");
        assert!(!html.contains("aria-current"), "a range is not one year");
        let q = "mía year:2013";
        let html = timeline(q, &years(&[("2012", 2), ("2013", 5)]), 7, &active_filters(q), Sort::Relevance);
        assert!(html.contains(r#"<a class="bar current""#), "{html}");
        assert!(html.contains("đang lọc năm 2013"), "{html}");
        assert!(!html.contains("không rõ năm"));
    }

    #[test]
    fn needs_two_years_and_thins_labels_when_crowded() {
        assert!(timeline("x", &years(&[("2011", 3)]), 3, &[], Sort::Relevance).is_empty());
        assert!(timeline("x", &[], 0, &[], Sort::Relevance).is_empty());
        let many: Vec<(String, u64)> = (1950..2025).map(|y| (y.to_string(), (y % 7) as u64 + 1)).collect();
        let refs: Vec<(&str, u64)> = many.iter().map(|(y, c)| (y.as_str(), *c)).collect();
        let html = timeline("x", &years(&refs), 500, &[], Sort::Relevance);
        assert_eq!(html.matches(r#"<a class="bar""#).count(), 75);
        assert!(html.matches(r#"<text class="year""#).count() <= MAX_YEAR_LABELS + 1, "{html}");
        assert!(!html.contains(r#"<text class="count""#), "no counts in slots this narrow");
        assert!(html.contains(r#"width="720""#), "{}", &html[..300]);
    }
}
