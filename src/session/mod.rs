//! What a session request is: fields, lender profiles, the entered form, validation and the
//! wire format. No IO (profiles are parsed from text handed in), no UI.

pub mod catalogue;
pub mod form;
pub mod order_id;
pub mod profile;
pub mod validate;
pub mod wire;

pub use catalogue::{FIELDS, Field, Kind, Section, field};
pub use form::{Form, Member};
pub use profile::{FormField, Profile, ProfileError, ProfileSet};
pub use validate::{Problem, validate};
