//! The shape of a crosswalk, as written in RON.

use serde::{Deserialize, Serialize};

/// A regulation's articles mapped onto one checklist's requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// Short stable identifier, e.g. `eu-ai-act-2024-1689`: lowercase
    /// letters, digits, `-` and `_`.
    pub id: String,
    /// Human title of the crosswalk.
    pub title: String,
    /// The regulation mapped, as it is officially cited.
    pub regulation: String,
    /// The id of the checklist the requirements belong to, e.g. `iso42001-2023`.
    pub checklist: String,
    /// What the crosswalk does and does not claim (the author's own words).
    #[serde(default)]
    pub note: Option<String>,
    /// The articles, in the order they are shown.
    pub articles: Vec<Article>,
}

/// One article of the regulation and the requirements that support it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// The article's number, e.g. "9"; unique within the crosswalk.
    pub number: String,
    /// The article's short title.
    pub title: String,
    /// What the article asks that the mapped requirements leave open, or to
    /// whom it applies (the author's own words).
    #[serde(default)]
    pub note: Option<String>,
    /// The requirements that support the article.
    #[serde(default)]
    pub maps: Vec<Map>,
}

/// One requirement supporting an article, and how far it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// A requirement id of the crosswalk's checklist, e.g. "6.1.2" or "A.6.2.8".
    pub requirement: String,
    pub strength: Strength,
    /// One line on the relationship: what the requirement gives toward the
    /// article and, for partial support, what it leaves out.
    pub note: String,
}

/// How far a requirement, met, goes toward an article. Neither word claims
/// that meeting the requirement meets the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strength {
    /// The requirement addresses the same activity the article asks for;
    /// the note names what the article adds on top.
    Supports,
    /// The requirement covers part of what the article asks; the note names
    /// the gap.
    PartlySupports,
}

impl Strength {
    /// The word used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Supports => "supports",
            Strength::PartlySupports => "partly-supports",
        }
    }

    /// How it reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Strength::Supports => "supports",
            Strength::PartlySupports => "partly supports",
        }
    }
}

impl Crosswalk {
    /// Number of article–requirement mappings.
    pub fn mapping_count(&self) -> usize {
        self.articles.iter().map(|a| a.maps.len()).sum()
    }

    /// The article with this number.
    pub fn article(&self, number: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == number)
    }
}
