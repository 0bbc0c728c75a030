//! Returns for people and other systems (sync.md "Returns and reports"): the weekly tracker
//! (004: tested positive, referred, assessed, refused bail, DRRs made) and the monthly activity
//! return, on screen and as CSV. The layouts carry a version; the csv crate does the quoting,
//! and every cell a spreadsheet could run as a formula is neutralised.
use super::{court, custody, drr, treatment, Counts, Dashboard, Grain, Measure, Moment, OneWorker, Part, Period, Reader, Whose};
use crate::dates;
use crate::documents::pdf::{Block, Paper, Table};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which return to save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    WeeklyTracker,
    MonthlyReturn,
}

pub const TRACKER_LAYOUT: &str = "throughline-weekly-tracker/1";
pub const MONTHLY_LAYOUT: &str = "throughline-monthly-return/1";

/// Initial assessments attended in the week (RA3).
pub const ASSESSED: Measure = Measure {
    key: "custody.initial_assessments_attended",
    label: "Initial assessments attended",
    events: "SELECT x.client_id, x.at AS at FROM {in_scope} appointments x
             JOIN required_assessments ra ON ra.appointment_id = x.id AND ra.kind = 'initial'
             WHERE x.owner_type = 'required_assessment' AND x.at >= :from_at AND x.at < :to_at {scope} AND x.status = 'attended'",
    moment: Moment::Instant,
    one_worker: OneWorker::ClientByClient,
};

pub struct Column {
    pub heading: &'static str,
    pub measure: &'static Measure,
}

/// The tracker's columns, in 004's order.
pub const TRACKER: &[Column] = &[
    Column { heading: "Tested positive", measure: &custody::POSITIVE },
    Column { heading: "Referred", measure: &treatment::REFERRALS },
    Column { heading: "Assessed", measure: &ASSESSED },
    Column { heading: "Refused bail", measure: &court::REMANDED },
    Column { heading: "DRRs made", measure: &drr::STARTS },
];

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TrackerWeek {
    pub starts_on: NaiveDate,
    pub counts: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Tracker {
    pub period: Period,
    /// Heading, measure key and the period's total, one per column.
    pub columns: Vec<Part>,
    pub weeks: Vec<TrackerWeek>,
}

/// The tracker for a period, week by week (weeks start on Monday).
pub fn weekly_tracker(conn: &Connection, now: DateTime<Utc>, period: Period, whose: Whose<'_>) -> rusqlite::Result<Tracker> {
    let reader = Reader::new(conn, period, now, whose)?;
    let starts = period.buckets_of(Grain::Week);
    let mut weeks: Vec<TrackerWeek> = starts.iter().map(|s| TrackerWeek { starts_on: *s, counts: Vec::new() }).collect();
    let mut columns = Vec::new();
    for column in TRACKER {
        let counts = reader.by_bucket(column.measure, Grain::Week)?;
        for (week, n) in weeks.iter_mut().zip(&counts) {
            week.counts.push(*n);
        }
        columns.push(Part { key: column.measure.key.into(), label: column.heading.into(), count: counts.iter().sum() });
    }
    Ok(Tracker { period, columns, weeks })
}

/// A cell a spreadsheet would read as a formula starts with one of these; a leading
/// apostrophe makes it text (as Primero does).
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn csv_of(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, cells: Vec<String>| out.write_record(cells.iter().map(|c| neutralise(c)));
    // Writing to memory cannot fail; a record of the wrong length would be a bug here.
    write(&mut out, header.iter().map(|h| h.to_string()).collect()).expect("csv header");
    for row in rows {
        write(&mut out, row).expect("csv row");
    }
    String::from_utf8(out.into_inner().expect("csv flush")).expect("csv is UTF-8")
}

/// Who a return is about: the team's name, and the worker's when it is one caseload.
pub struct Heading<'a> {
    pub team: &'a str,
    pub worker: Option<&'a str>,
}

impl Heading<'_> {
    fn cells(&self, period: Period) -> Vec<String> {
        vec![self.team.into(), self.worker.unwrap_or("Whole team").into(), period.from.to_string(), period.to.to_string()]
    }
}

/// The weekly tracker as CSV: one row per week.
pub fn tracker_csv(t: &Tracker, heading: &Heading<'_>) -> String {
    let mut header = vec!["layout", "team", "caseload", "period_from", "period_to", "week_starting"];
    header.extend(["tested_positive", "referred", "assessed", "refused_bail", "drrs_made"]);
    let rows = t
        .weeks
        .iter()
        .map(|w| {
            let mut row = vec![TRACKER_LAYOUT.to_string()];
            row.extend(heading.cells(t.period));
            row.push(w.starts_on.to_string());
            row.extend(w.counts.iter().map(u32::to_string));
            row
        })
        .collect();
    csv_of(&header, rows)
}

/// The monthly activity return as CSV: one row per figure of the dashboard for the month.
pub fn monthly_csv(d: &Dashboard, heading: &Heading<'_>) -> String {
    let header = [
        "layout",
        "team",
        "caseload",
        "period_from",
        "period_to",
        "section",
        "measure_code",
        "measure",
        "count",
        "out_of",
        "percent",
        "median_days",
    ];
    let blank = |v: Option<String>| v.unwrap_or_default();
    let rows = d
        .sections
        .iter()
        .flat_map(|s| s.figures.iter().map(move |f| (s, f)))
        .map(|(s, f)| {
            let mut row = vec![MONTHLY_LAYOUT.to_string()];
            row.extend(heading.cells(d.period));
            row.extend([s.title.clone(), f.count.key.clone(), f.label.clone(), f.count.count.to_string()]);
            row.push(blank(f.out_of.as_ref().map(|o| o.count.to_string())));
            row.push(blank(f.percent.map(|p| p.to_string())));
            row.push(blank(f.median_days.map(|m| m.to_string())));
            row
        })
        .collect();
    csv_of(&header, rows)
}

/// "weekly-tracker-2026-11-23-to-2026-11-29.csv": a file name that says what is in it.
pub fn file_name(what: &str, period: Period, extension: &str) -> String {
    format!("{what}-{}-to-{}.{extension}", period.from, period.to)
}

fn scope_line(heading: &Heading<'_>, period: Period) -> Block {
    Block::Paragraph(format!("{}, {}: {}.", heading.team, heading.worker.unwrap_or("the whole team"), period_words(period)))
}

/// The weekly tracker on paper: a row a week and the period's totals.
pub fn tracker_paper(t: &Tracker, heading: &Heading<'_>) -> Paper {
    let mut columns = vec!["Week starting".to_string()];
    columns.extend(t.columns.iter().map(|c| c.label.clone()));
    let mut rows: Vec<Vec<String>> =
        t.weeks.iter().map(|w| std::iter::once(dates::display(w.starts_on)).chain(w.counts.iter().map(u32::to_string)).collect()).collect();
    rows.push(std::iter::once("Total".to_string()).chain(t.columns.iter().map(|c| c.count.to_string())).collect());
    let widths = std::iter::once(1.6).chain(t.columns.iter().map(|_| 1.0)).collect();
    Paper { title: "Weekly tracker".into(), blocks: vec![scope_line(heading, t.period), Block::Table(Table { columns, widths, rows })] }
}

/// The monthly activity return on paper: each section of the dashboard as a table of its figures.
pub fn monthly_paper(d: &Dashboard, heading: &Heading<'_>) -> Paper {
    let mut blocks = vec![scope_line(heading, d.period)];
    for s in &d.sections {
        blocks.push(Block::Heading(s.title.clone()));
        let rows = s
            .figures
            .iter()
            .map(|f| {
                vec![
                    f.label.clone(),
                    f.count.count.to_string(),
                    f.out_of.as_ref().map(|o| o.count.to_string()).unwrap_or_default(),
                    f.percent.map(|p| format!("{p}%")).unwrap_or_default(),
                    f.median_days.map(|m| m.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let columns = ["Measure", "Count", "Out of", "Percent", "Median days"].map(String::from).to_vec();
        blocks.push(Block::Table(Table { columns, widths: vec![4.0, 1.0, 1.0, 1.0, 1.2], rows }));
    }
    Paper { title: "Monthly activity return".into(), blocks }
}

/// "23 Nov 2026 to 29 Nov 2026", for headings and the audit trail.
pub fn period_words(period: Period) -> String {
    format!("{} to {}", dates::display(period.from), dates::display(period.to))
}
