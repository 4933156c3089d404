//! The two screens under the popups: the requirements (tree and detail)
//! and the evidence bundle (files and preview), each with its keys and its
//! drawing.

pub mod evidence;
pub mod requirements;
