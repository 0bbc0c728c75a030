//! The partnership's report: one self-contained HTML file (charts drawn by plotters as SVG, and
//! the same figures as tables) and each team's monthly activity return as CSV, in the laptop's
//! own layout (`returns::monthly_csv`, every cell formula-safe). People appear only by their
//! attributor (initials, date of birth, sex) and the team's record id.
use crate::figures::{self, Figures, CONTINUITY_AMBITION};
use crate::schema;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use plotters::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use throughline_core::dashboard::returns::{self, Heading};
use throughline_core::dashboard::{FigureKind, FigureView, Measure, Period};
use throughline_core::dates;
use throughline_core::store::shared::share_out;

/// What a report wrote.
pub struct Written {
    pub html: PathBuf,
    pub csv: Vec<PathBuf>,
}

/// Text for HTML: what a team calls itself is shown, never run.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn key_of(name: &str) -> String {
    name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// A figure as a table cell: "12", "9 of 12 (75%)", "14 days".
fn cell(f: &FigureView) -> String {
    match f.kind {
        FigureKind::Count | FigureKind::Now => f.count.count.to_string(),
        FigureKind::Rate => match (&f.out_of, f.percent) {
            (Some(o), Some(p)) => format!("{} of {} ({p}%)", f.count.count, o.count),
            (Some(o), None) => format!("{} of {}", f.count.count, o.count),
            _ => f.count.count.to_string(),
        },
        FigureKind::MedianDays => f.median_days.map_or("—".into(), |d| format!("{d} days")),
    }
}

/// The figure with this measure key in a team's dashboard.
fn figure<'f>(f: &'f Figures, key: &str) -> Option<&'f FigureView> {
    f.dashboard.sections.iter().flat_map(|s| &s.figures).find(|x| x.count.key == key)
}

/// Continuity of care by team against the ambition: a bar a team, a line at the ambition.
fn continuity_chart(teams: &[&Figures]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = teams.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption("In community treatment within 21 days of release, by team", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..n).into_segmented(), 0u32..100u32)
            .map_err(|e| e.to_string())?;
        let names: Vec<String> = teams.iter().map(|t| t.name.clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .y_desc("Percent of releases")
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        let percents: Vec<(u32, u32)> = teams
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32, figure(t, figures::IN_TREATMENT).and_then(|f| f.percent).unwrap_or(0)))
            .collect();
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style_func(|x, _| {
                        let i = match x {
                            SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => *i as usize,
                            SegmentValue::Last => 0,
                        };
                        let met = percents.get(i).is_some_and(|(_, p)| *p >= CONTINUITY_AMBITION);
                        (if met { RGBColor(0, 112, 60) } else { RGBColor(212, 53, 28) }).filled()
                    })
                    .margin(24)
                    .data(percents.iter().copied()),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                [(SegmentValue::Exact(0), CONTINUITY_AMBITION), (SegmentValue::Last, CONTINUITY_AMBITION)],
                BLACK.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("Ambition: {CONTINUITY_AMBITION}%"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], BLACK.stroke_width(2)));
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw().map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Tests on arrest over the period, a line a team.
fn tests_chart(teams: &[&Figures], buckets: &[NaiveDate]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let trends: Vec<Vec<f64>> = teams
            .iter()
            .map(|t| figure(t, "custody.tests").map(|f| f.trend.iter().map(|v| v.unwrap_or(0.0)).collect()).unwrap_or_default())
            .collect();
        let top = trends.iter().flatten().copied().fold(1.0, f64::max) * 1.15;
        let last = buckets.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption("Tests on arrest, by team", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..last, 0f64..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_labels(buckets.len().min(12))
            .x_label_formatter(&|x| buckets.get(x.round() as usize).map(|d| d.format("%b %Y").to_string()).unwrap_or_default())
            .y_desc("Tests")
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (team, trend)) in teams.iter().zip(&trends).enumerate() {
            let colour = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(trend.iter().enumerate().map(|(x, y)| (x as f64, *y)), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(team.name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2)));
        }
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw().map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Each team's releases in the period with no treatment started within 21 days: who the
/// continuity figure is missing, by attributor.
fn not_in_treatment(db: &mut postgres::Client, team: &Figures) -> Result<Vec<[String; 5]>, postgres::Error> {
    let Some(team_id) = &team.team_id else { return Ok(Vec::new()) };
    let treated: HashSet<&str> =
        team.events.of.get(figures::IN_TREATMENT).into_iter().flatten().filter_map(|e| e.client_id.as_deref()).collect();
    let released: Vec<(&str, &str)> = team
        .events
        .of
        .get(figures::RELEASES)
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e.client_id.as_deref()?, &*e.at)))
        .filter(|(id, _)| !treated.contains(id))
        .collect();
    let ids: Vec<&str> = released.iter().map(|(id, _)| *id).collect();
    let schema = schema::team_schema(team_id);
    let people = db.query(&format!("SELECT id, initials, date_of_birth, sex FROM {schema}.clients WHERE id = ANY($1)"), &[&ids])?;
    let people: HashMap<&str, &postgres::Row> = people.iter().map(|p| (p.get(0), p)).collect();
    let mut rows: Vec<[String; 5]> = released
        .iter()
        .filter_map(|(id, at)| {
            let p = people.get(id)?;
            let born: String = p.get(2);
            let born = born.parse().map(dates::display).unwrap_or(born);
            let released = at.parse().map(dates::display).unwrap_or_else(|_| at.to_string());
            Some([released, p.get(1), born, p.get(3), id.to_string()])
        })
        .collect();
    rows.sort();
    Ok(rows)
}

const STYLE: &str = "body{font-family:sans-serif;margin:2rem;color:#0b0c0c;max-width:70rem}
h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem}table{border-collapse:collapse;margin:1rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.4rem .6rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}.met{color:#00703c;font-weight:bold}.missed{color:#d4351c;font-weight:bold}
figure{margin:1rem 0}figcaption{color:#505a5f}.note{color:#505a5f}";

/// Writes the report for a period into `out`: `partnership-report-FROM-to-TO.html` and a
/// monthly return CSV a team.
/// `other` is a second connection to the hub's database, which reads half the teams (their
/// year, then their months).
pub fn write(
    db: &mut postgres::Client,
    other: &mut postgres::Client,
    period: Period,
    now: DateTime<Utc>,
    out: &Path,
) -> Result<Written, crate::HubError> {
    std::fs::create_dir_all(out).map_err(crate::files)?;
    let (teams, all) = figures::partnership(&mut [&mut *db, &mut *other], period, now)?;
    let team_refs: Vec<&Figures> = teams.iter().collect();
    let mut html = String::new();
    let title = format!("Partnership report: {}", returns::period_words(period));
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        html,
        "<h1>{}</h1><p class=\"note\">{} team{}. Made by the partnership hub on {}. People are shown by initials, date of birth, sex and the team's record id only.</p>",
        escape(&title),
        teams.len(),
        if teams.len() == 1 { "" } else { "s" },
        dates::display(dates::today(now))
    );

    let _ = write!(html, "<h2 id=\"continuity\">Continuity of care</h2>");
    let _ = write!(html, "<table id=\"continuity-table\"><thead><tr><th>Team</th><th class=\"n\">Releases</th><th class=\"n\">In treatment within 21 days</th><th>Against the {CONTINUITY_AMBITION}% ambition</th></tr></thead><tbody>");
    for t in teams.iter().chain([&all]) {
        if let Some(f) = figure(t, figures::IN_TREATMENT) {
            let target = f.target_percent.unwrap_or(CONTINUITY_AMBITION);
            let verdict = match f.percent {
                Some(p) if p >= target => format!("<span class=\"met\">Met ({p}%)</span>"),
                Some(p) => format!("<span class=\"missed\">Below ({p}%, {} short of {target}%)</span>", target - p),
                None => "No releases".to_string(),
            };
            let out_of = f.out_of.as_ref().map_or(0, |o| o.count);
            let _ = write!(
                html,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{out_of}</td><td class=\"n\">{}</td><td>{verdict}</td></tr>",
                escape(&t.name),
                f.count.count
            );
        }
    }
    html.push_str("</tbody></table>");
    let chart = continuity_chart(&team_refs).map_err(crate::HubError::Files)?;
    let _ = write!(
        html,
        "<figure id=\"continuity-chart\">{chart}<figcaption>Green: at or above the ambition; red: below it.</figcaption></figure>"
    );
    let chart = tests_chart(&team_refs, &all.dashboard.buckets).map_err(crate::HubError::Files)?;
    let _ = write!(
        html,
        "<figure id=\"tests-chart\">{chart}<figcaption>Tests on arrest in each {}.</figcaption></figure>",
        if period.grain() == throughline_core::dashboard::Grain::Week { "week" } else { "month" }
    );

    for (si, section) in all.dashboard.sections.iter().enumerate() {
        let _ = write!(html, "<h2>{}</h2><table class=\"figures\"><thead><tr><th>Measure</th>", escape(&section.title));
        for t in &teams {
            let _ = write!(html, "<th class=\"n\">{}</th>", escape(&t.name));
        }
        html.push_str("<th class=\"n\">Partnership</th></tr></thead><tbody>");
        for (fi, f) in section.figures.iter().enumerate() {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th>", escape(&f.label));
            for t in &teams {
                let _ = write!(html, "<td class=\"n\">{}</td>", t.dashboard.sections[si].figures.get(fi).map(cell).unwrap_or_default());
            }
            let _ = write!(html, "<td class=\"n\">{}</td></tr>", cell(f));
        }
        html.push_str("</tbody></table>");
    }

    html.push_str("<h2 id=\"not-in-treatment\">Released, not in treatment within 21 days</h2>");
    for t in &teams {
        let rows = not_in_treatment(db, t)?;
        let _ = write!(html, "<h3>{} ({})</h3>", escape(&t.name), rows.len());
        if rows.is_empty() {
            html.push_str("<p>None.</p>");
            continue;
        }
        html.push_str("<table class=\"people\"><thead><tr><th>Released</th><th>Initials</th><th>Date of birth</th><th>Sex</th><th>Team's record id</th></tr></thead><tbody>");
        for r in rows {
            let _ = write!(html, "<tr>{}</tr>", r.iter().map(|c| format!("<td>{}</td>", escape(c))).collect::<String>());
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</body></html>");

    let html_path = out.join(returns::file_name("partnership-report", period, "html"));
    std::fs::write(&html_path, &html).map_err(crate::files)?;
    let mut csv = Vec::new();
    for (t, text) in teams.iter().zip(monthly_returns(db, other, &team_refs, period, now)?) {
        let path = out.join(returns::file_name(&format!("monthly-return-{}", key_of(&t.name)), period, "csv"));
        std::fs::write(&path, text).map_err(crate::files)?;
        csv.push(path);
    }
    Ok(Written { html: html_path, csv })
}

/// Each team's monthly return for the months of the period, as CSV. A month's figures are not
/// always its share of the year's (a re-arrest cohort of its own first arrests): the measures
/// that can be are cut from the team's events of the whole period, the rest read again for
/// each month. The teams are shared out between the hub's connection and `other`, so
/// PostgreSQL reads two at once.
fn monthly_returns(
    db: &mut postgres::Client,
    other: &mut postgres::Client,
    teams: &[&Figures],
    period: Period,
    now: DateTime<Utc>,
) -> Result<Vec<String>, postgres::Error> {
    let months = months(period);
    let again: Vec<&'static Measure> = throughline_core::dashboard::measures().into_iter().filter(|m| !m.cut_from_longer()).collect();
    share_out(&mut [db, other], teams.len(), |client, next| {
        let mut mine = Vec::new();
        while let Some(t) = next() {
            let team = teams[t];
            let target = figure(team, figures::IN_TREATMENT).and_then(|f| f.target_percent).unwrap_or(CONTINUITY_AMBITION);
            let settings = figures::settings_with_target(target);
            let mut text = String::new();
            for (i, (month, mut events)) in months.iter().zip(team.events.cut_into(&months)).enumerate() {
                let team_id = team.team_id.as_deref().unwrap_or_default();
                events.of.extend(figures::team_events(client, team_id, *month, now, &again)?.of);
                let Ok(d) = throughline_core::dashboard::from_counts(&events, *month, &settings);
                let one = returns::monthly_csv(&d, &Heading { team: &team.name, worker: None });
                // One header for the file: each month after the first adds its rows only.
                text.push_str(if i == 0 { &one } else { one.split_once('\n').map_or("", |(_, rows)| rows) });
            }
            mine.push((t, text));
        }
        Ok::<_, postgres::Error>(mine)
    })
}

/// The calendar months a period touches, each cut to the period.
fn months(period: Period) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = period.from.with_day(1).unwrap_or(period.from);
    while start <= period.to {
        let next = start.checked_add_months(chrono::Months::new(1)).unwrap_or(start + Duration::days(31));
        out.push(Period { from: start.max(period.from), to: (next - Duration::days(1)).min(period.to) });
        start = next;
    }
    out
}
