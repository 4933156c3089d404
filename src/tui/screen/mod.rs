//! The screens under the popups: the requirements (tree and detail), the
//! evidence bundle (files and preview) and the follow-up of findings, each
//! with its keys and its drawing.

pub mod conflicts;
pub mod evidence;
pub mod follow_up;
pub mod plan;
pub mod requirements;
