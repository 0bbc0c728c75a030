//! The fixed lists a client's record chooses from, with the words the UI shows.
pub use crate::reference::{is_in, label, Choice};
use serde::Serialize;
use ts_rs::TS;

const fn c(value: &'static str, label: &'static str, group: &'static str) -> Choice {
    Choice { value, label, group }
}

/// ONS 2021 census ethnic groups for England and Wales.
pub const ETHNICITIES: &[Choice] = &[
    c("asian_bangladeshi", "Bangladeshi", "Asian, Asian British or Asian Welsh"),
    c("asian_chinese", "Chinese", "Asian, Asian British or Asian Welsh"),
    c("asian_indian", "Indian", "Asian, Asian British or Asian Welsh"),
    c("asian_pakistani", "Pakistani", "Asian, Asian British or Asian Welsh"),
    c("asian_other", "Any other Asian background", "Asian, Asian British or Asian Welsh"),
    c("black_african", "African", "Black, Black British, Black Welsh, Caribbean or African"),
    c("black_caribbean", "Caribbean", "Black, Black British, Black Welsh, Caribbean or African"),
    c("black_other", "Any other Black, Black British or Caribbean background", "Black, Black British, Black Welsh, Caribbean or African"),
    c("mixed_white_asian", "White and Asian", "Mixed or Multiple ethnic groups"),
    c("mixed_white_black_african", "White and Black African", "Mixed or Multiple ethnic groups"),
    c("mixed_white_black_caribbean", "White and Black Caribbean", "Mixed or Multiple ethnic groups"),
    c("mixed_other", "Any other Mixed or Multiple ethnic background", "Mixed or Multiple ethnic groups"),
    c("white_british", "English, Welsh, Scottish, Northern Irish or British", "White"),
    c("white_irish", "Irish", "White"),
    c("white_gypsy_traveller", "Gypsy or Irish Traveller", "White"),
    c("white_roma", "Roma", "White"),
    c("white_other", "Any other White background", "White"),
    c("other_arab", "Arab", "Other ethnic group"),
    c("other_any", "Any other ethnic group", "Other ethnic group"),
    c("not_stated", "Not stated", ""),
];

pub const SUBSTANCES: &[Choice] = &[
    c("heroin", "Heroin", ""),
    c("crack", "Crack cocaine", ""),
    c("cocaine", "Cocaine powder", ""),
    c("methadone_illicit", "Methadone (not prescribed)", ""),
    c("buprenorphine_illicit", "Buprenorphine (not prescribed)", ""),
    c("other_opiates", "Other opiates", ""),
    c("benzodiazepines", "Benzodiazepines", ""),
    c("cannabis", "Cannabis", ""),
    c("synthetic_cannabinoids", "Synthetic cannabinoids (spice)", ""),
    c("amphetamines", "Amphetamines", ""),
    c("ketamine", "Ketamine", ""),
    c("alcohol", "Alcohol", ""),
    c("other", "Other", ""),
];

pub const INJECTING: &[Choice] = &[
    c("never", "Never injected", ""),
    c("previously", "Injected before, not now", ""),
    c("currently", "Injecting now", ""),
    c("not_known", "Not known", ""),
];

pub const CLOSE_REASONS: &[Choice] = &[
    c("treatment_completed", "Treatment completed", ""),
    c("transferred", "Transferred to another service", ""),
    c("moved_away", "Moved out of the area", ""),
    c("disengaged", "Disengaged", ""),
    c("prison_long_term", "Long prison sentence", ""),
    c("died", "Died", ""),
    c("other", "Other", ""),
];

/// All the lists, for the UI's forms.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReferenceLists {
    pub ethnicities: Vec<Choice>,
    pub substances: Vec<Choice>,
    pub injecting: Vec<Choice>,
    pub close_reasons: Vec<Choice>,
}

pub fn lists() -> ReferenceLists {
    ReferenceLists {
        ethnicities: ETHNICITIES.to_vec(),
        substances: SUBSTANCES.to_vec(),
        injecting: INJECTING.to_vec(),
        close_reasons: CLOSE_REASONS.to_vec(),
    }
}
