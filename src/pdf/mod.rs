//! The PDF backend: the IR laid out into positioned pages ([`layout`]), then
//! encoded ([`write`]). Layout never imports the writer; the writer makes no
//! layout decisions.

pub mod layout;
pub mod style;
