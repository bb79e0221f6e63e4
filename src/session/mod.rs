//! What a session request is: fields, lender profiles, the entered form, validation and the
//! wire format. No IO (profiles are parsed from text handed in; `ProfileSet::load` reads
//! the user's profiles directory), no UI.

pub mod catalogue;
pub mod choice;
pub mod complete;
pub mod desk;
pub mod entry;
pub mod form;
pub mod normalise;
pub mod order_id;
pub mod profile;
pub mod suggest;
pub mod validate;
pub mod wire;

pub use catalogue::{FIELDS, Field, Kind, Section, field, keys};
pub use entry::normalise_field;
pub use form::{Form, Member};
pub use normalise::{Change, Normalised};
pub use profile::file::{ProfileError, ProfileSet};
pub use profile::{CustomField, FormField, Profile, ProfileSource};
pub use validate::{Problem, check_field, validate, validate_at};
