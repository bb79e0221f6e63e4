//! Every Session API field paydesk knows: wire key, label, tab, kind, help, allowed values.

use serde::Serialize;

/// A form tab. Each field belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Order,
    Customer,
    Policy,
    Education,
    Travel,
    Extras,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Order,
        Section::Customer,
        Section::Policy,
        Section::Education,
        Section::Travel,
        Section::Extras,
    ];

    /// Tab title as shown on screen.
    pub fn title(self) -> &'static str {
        match self {
            Section::Order => "Order",
            Section::Customer => "Customer",
            Section::Policy => "Policy",
            Section::Education => "Education",
            Section::Travel => "Travel",
            Section::Extras => "Extras",
        }
    }

    /// The section with this id (`"order"`, `"customer"`, ...), if any.
    pub fn from_id(id: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Lower-case id used in profile files (`tabs = ["order", ...]`).
    pub fn id(self) -> &'static str {
        match self {
            Section::Order => "order",
            Section::Customer => "customer",
            Section::Policy => "policy",
            Section::Education => "education",
            Section::Travel => "travel",
            Section::Extras => "extras",
        }
    }
}

/// What kind of value a field holds; decides validation and the input widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Email,
    Phone,
    /// `dd-mm-yyyy`
    #[serde(rename = "date_dd_mm_yyyy")]
    DateDmy,
    /// `dd-Mon-yyyy`
    #[serde(rename = "date_dd_mon_yyyy")]
    DateDMonY,
    Amount,
    Currency,
    Pincode,
    Enum,
    Integer,
    Boolean,
    Url,
    MemberList,
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Exact wire key, e.g. `metadata.origin`.
    pub key: &'static str,
    pub label: &'static str,
    pub section: Section,
    pub kind: Kind,
    /// What the field is for, in our words, with an example.
    pub help: &'static str,
    pub example: &'static str,
    /// Canonical allowed values for `Kind::Enum` (profiles map them to wire spellings).
    pub allowed: &'static [&'static str],
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Text,
        Kind::Email,
        Kind::Phone,
        Kind::DateDmy,
        Kind::DateDMonY,
        Kind::Amount,
        Kind::Currency,
        Kind::Pincode,
        Kind::Enum,
        Kind::Integer,
        Kind::Boolean,
        Kind::Url,
        Kind::MemberList,
    ];

    /// Name used in profile files (`kind = "phone"`) and in `fields --json`.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::DateDmy => "date_dd_mm_yyyy",
            Kind::DateDMonY => "date_dd_mon_yyyy",
            Kind::Amount => "amount",
            Kind::Currency => "currency",
            Kind::Pincode => "pincode",
            Kind::Enum => "enum",
            Kind::Integer => "integer",
            Kind::Boolean => "boolean",
            Kind::Url => "url",
            Kind::MemberList => "member_list",
        }
    }

    /// The kind with this id, if any.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Short description of the expected format, for help lines and listings.
    pub fn format_hint(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Email => "email address",
            Kind::Phone => {
                "10-digit mobile number; +91, a leading 0, spaces and dashes are dropped"
            }
            Kind::DateDmy => "date as dd-mm-yyyy",
            Kind::DateDMonY => "date as dd-Mon-yyyy",
            Kind::Amount => "amount in rupees, at most two decimals",
            Kind::Currency => "3-letter currency code",
            Kind::Pincode => "6-digit PIN code",
            Kind::Enum => "one of the listed values",
            Kind::Integer => "whole number",
            Kind::Boolean => "true or false",
            Kind::Url => "web address starting with https://",
            Kind::MemberList => "list of members (name and phone)",
        }
    }
}

/// Wire keys the code refers to by name. UI and CLI use these, never loose strings.
pub mod keys {
    pub const ORDER_ID: &str = "order_id";
    pub const AMOUNT: &str = "amount";
    pub const CURRENCY: &str = "currency";
    pub const DESCRIPTION: &str = "description";
    pub const PAYMENT_PAGE_CLIENT_ID: &str = "payment_page_client_id";
    pub const ACTION: &str = "action";
    pub const RETURN_URL: &str = "return_url";
    pub const GET_CLIENT_AUTH_TOKEN: &str = "options.get_client_auth_token";
    pub const SDK_PAYLOAD: &str = "metadata.sdk_payload";
    pub const WEBHOOK_URL: &str = "metadata.webhook_url";
    pub const SOURCE: &str = "metadata.source";
    pub const GATEWAY_REFERENCE_ID: &str = "metadata.JUSPAY:gateway_reference_id";

    pub const CUSTOMER_ID: &str = "customer_id";
    pub const CUSTOMER_EMAIL: &str = "customer_email";
    pub const CUSTOMER_PHONE: &str = "customer_phone";
    pub const CUSTOMER_DOB: &str = "customer_dob";
    pub const CUSTOMER_FIRST_NAME: &str = "customer_first_name";
    pub const CUSTOMER_MIDDLE_NAME: &str = "customer_middle_name";
    pub const CUSTOMER_LAST_NAME: &str = "customer_last_name";
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const CUSTOMER_GENDER: &str = "customer_gender";
    pub const CUSTOMER_MARITAL_STATUS: &str = "customer_marital_status";
    pub const CUSTOMER_HIGHEST_EDUCATION: &str = "customer_highest_education";
    pub const CUSTOMER_PINCODE: &str = "customer_pincode";
    pub const CUSTOMER_EMPLOYMENT_TYPE: &str = "customer_employment_type";
    pub const CUSTOMER_PAN: &str = "metadata.customerPan";

    pub const CUSTOMER_POLICY_REF_NO: &str = "customer_policy_ref_no";
    pub const CUSTOMER_POLICY_TYPE: &str = "metadata.customer_policy_type";
    pub const INSURED_MEMBER_DETAILS: &str = "insured_member_details";
    pub const CUSTOMER_NOMINEE_NAME: &str = "customer_nominee_name";
    pub const CUSTOMER_NOMINEE_PHONE: &str = "customer_nominee_phone";
    pub const IS_PRIMARY_HOLDER: &str = "is_primary_holder";

    pub const STUDENT_NAME: &str = "metadata.student_name";
    pub const STUDENT_ADMISSION_TYPE: &str = "metadata.student_admission_type";

    pub const ORIGIN: &str = "metadata.origin";
    pub const DESTINATION: &str = "metadata.destination";
    pub const TRAVEL_START_DATE: &str = "metadata.travel_start_date";
    pub const TRAVEL_END_DATE: &str = "metadata.travel_end_date";
    pub const TRAVEL_TYPE: &str = "metadata.travel_type";

    /// Keys of one `insured_member_details` element.
    pub const MEMBER_NAME: &str = "member_name";
    pub const MEMBER_PHONE: &str = "member_phone";

    /// `udf1` … `udf10`.
    pub const UDF: [&str; 10] = [
        "udf1", "udf2", "udf3", "udf4", "udf5", "udf6", "udf7", "udf8", "udf9", "udf10",
    ];
}

/// Currencies offered in the picker; any 3-letter ISO code is accepted.
pub const CURRENCIES: &[&str] = &["INR", "USD", "EUR", "GBP", "AED", "SGD"];

const fn field_of(
    key: &'static str,
    label: &'static str,
    section: Section,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Field {
    Field {
        key,
        label,
        section,
        kind,
        help,
        example,
        allowed: &[],
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    section: Section,
    help: &'static str,
    allowed: &'static [&'static str],
) -> Field {
    Field {
        key,
        label,
        section,
        kind: Kind::Enum,
        help,
        example: allowed[0],
        allowed,
    }
}

const fn udf(key: &'static str, label: &'static str, plain: bool) -> Field {
    let help = if plain {
        "Your own value, shown on the Juspay dashboard and echoed in status and webhooks. \
         udf1–udf5 take letters, digits and spaces only. Example: user5349"
    } else {
        "Your own value, shown on the Juspay dashboard and echoed in status and webhooks. \
         udf6–udf10 may contain special characters. Example: user_5349"
    };
    let example = if plain { "user5349" } else { "user_5349" };
    field_of(key, label, Section::Extras, Kind::Text, help, example)
}

use Section::{Customer, Education, Order, Policy, Travel};

/// The whole catalogue, in form order.
pub static FIELDS: &[Field] = &[
    // ── Order / payment page ───────────────────────────────────────────────────────────
    field_of(
        keys::ORDER_ID,
        "Order ID",
        Order,
        Kind::Text,
        "Your unique reference for this order; payments are tracked against it. Letters, \
         digits, _ and -, at most 20 characters. Example: PD2611250ABCK2Q",
        "PD2611250ABCK2Q",
    ),
    field_of(
        keys::AMOUNT,
        "Amount",
        Order,
        Kind::Amount,
        "What the customer pays, in rupees, with at most two decimals. Example: 30500.00",
        "30500.00",
    ),
    Field {
        key: keys::CURRENCY,
        label: "Currency",
        section: Order,
        kind: Kind::Currency,
        help: "Three-letter currency code of the amount. Example: INR",
        example: "INR",
        allowed: CURRENCIES,
    },
    field_of(
        keys::DESCRIPTION,
        "Description",
        Order,
        Kind::Text,
        "A short line telling the customer what they are paying for. Example: Family Floater \
         Policy",
        "Complete your payment",
    ),
    field_of(
        keys::PAYMENT_PAGE_CLIENT_ID,
        "Payment page client ID",
        Order,
        Kind::Text,
        "The client id Juspay gave you; it picks the look of the payment page. Example: \
         merchant_client_id",
        "merchant_client_id",
    ),
    choice(
        keys::ACTION,
        "Action",
        Order,
        "What the link opens. paymentPage is the normal checkout page.",
        &["paymentPage", "paymentManagement", "quickPay"],
    ),
    field_of(
        keys::RETURN_URL,
        "Return URL",
        Order,
        Kind::Url,
        "Where the customer's browser goes when the payment journey ends. Example: \
         https://shop.example.com/thank-you",
        "https://shop.example.com/thank-you",
    ),
    field_of(
        keys::GET_CLIENT_AUTH_TOKEN,
        "Ask for client auth token",
        Order,
        Kind::Boolean,
        "true asks Juspay to include a client auth token in the SDK payload. Example: true",
        "true",
    ),
    field_of(
        keys::SDK_PAYLOAD,
        "Return SDK payload",
        Order,
        Kind::Boolean,
        "true asks Juspay to return the SDK payload for an app checkout. Example: true",
        "true",
    ),
    field_of(
        keys::WEBHOOK_URL,
        "Webhook URL",
        Order,
        Kind::Url,
        "Where Juspay posts status updates for this order only. Example: \
         https://merchant.example.com/juspay/webhook",
        "https://merchant.example.com/juspay/webhook",
    ),
    field_of(
        keys::SOURCE,
        "Channel source",
        Order,
        Kind::Text,
        "The channel the sale came through, passed on to the lender. Example: Online",
        "Online",
    ),
    field_of(
        keys::GATEWAY_REFERENCE_ID,
        "Gateway reference ID",
        Order,
        Kind::Text,
        "Routing tag that tells Juspay which lender or gateway set-up to use. Example: Loan",
        "Loan",
    ),
    // ── Customer / loan applicant ──────────────────────────────────────────────────────
    field_of(
        keys::CUSTOMER_ID,
        "Customer ID",
        Customer,
        Kind::Text,
        "The customer's id in your own system; keep it the same for every order of this \
         customer. Example: CUST57SDFG",
        "CUST57SDFG",
    ),
    field_of(
        keys::CUSTOMER_EMAIL,
        "Email",
        Customer,
        Kind::Email,
        "The customer's email address. Example: asha.rao@example.com",
        "asha.rao@example.com",
    ),
    field_of(
        keys::CUSTOMER_PHONE,
        "Mobile number",
        Customer,
        Kind::Phone,
        "The customer's 10-digit mobile number (written with +91, a leading 0, spaces or dashes, it is sent as the 10 digits). Example: 9876543210",
        "9876543210",
    ),
    field_of(
        keys::CUSTOMER_DOB,
        "Date of birth",
        Customer,
        Kind::DateDmy,
        "The customer's date of birth as day-month-year. Example: 06-12-1997",
        "06-12-1997",
    ),
    field_of(
        keys::CUSTOMER_FIRST_NAME,
        "First name",
        Customer,
        Kind::Text,
        "The customer's first name as on their ID. Example: Asha",
        "Asha",
    ),
    field_of(
        keys::CUSTOMER_MIDDLE_NAME,
        "Middle name",
        Customer,
        Kind::Text,
        "The customer's middle name, if any. Example: Kumari",
        "Kumari",
    ),
    field_of(
        keys::CUSTOMER_LAST_NAME,
        "Last name",
        Customer,
        Kind::Text,
        "The customer's last name as on their ID. Example: Rao",
        "Rao",
    ),
    field_of(
        keys::FIRST_NAME,
        "First name (generic)",
        Customer,
        Kind::Text,
        "First name in the older generic form some lenders still read. Example: Asha",
        "Asha",
    ),
    field_of(
        keys::LAST_NAME,
        "Last name (generic)",
        Customer,
        Kind::Text,
        "Last name in the older generic form some lenders still read. Example: Rao",
        "Rao",
    ),
    choice(
        keys::CUSTOMER_GENDER,
        "Gender",
        Customer,
        "The customer's gender as the lender records it. Example: Female",
        &["Male", "Female", "Others"],
    ),
    choice(
        keys::CUSTOMER_MARITAL_STATUS,
        "Marital status",
        Customer,
        "Whether the customer is married. Example: Single",
        &["Single", "Married"],
    ),
    choice(
        keys::CUSTOMER_HIGHEST_EDUCATION,
        "Highest education",
        Customer,
        "The customer's highest completed education. Example: Graduate",
        &[
            "Undergraduate",
            "Professional Degree",
            "Graduate",
            "Post Graduate",
            "Ph.D",
            "Others",
        ],
    ),
    field_of(
        "customer_address_line1",
        "Address line 1",
        Customer,
        Kind::Text,
        "First line of the customer's home address. Example: 12, 4th Cross, Koramangala",
        "12, 4th Cross, Koramangala",
    ),
    field_of(
        "customer_address_line2",
        "Address line 2",
        Customer,
        Kind::Text,
        "Second line of the address, if any. Example: Near Forum Mall",
        "Near Forum Mall",
    ),
    field_of(
        "customer_city",
        "City",
        Customer,
        Kind::Text,
        "The city the customer lives in. Example: Bengaluru",
        "Bengaluru",
    ),
    field_of(
        "customer_state",
        "State",
        Customer,
        Kind::Text,
        "The state the customer lives in. Example: Karnataka",
        "Karnataka",
    ),
    field_of(
        keys::CUSTOMER_PINCODE,
        "PIN code",
        Customer,
        Kind::Pincode,
        "The 6-digit PIN code of the customer's address. Example: 560034",
        "560034",
    ),
    field_of(
        "customer_annual_income",
        "Annual income",
        Customer,
        Kind::Text,
        "The customer's yearly income as the lender asks for it, free text. Example: >20 Lakhs",
        ">20 Lakhs",
    ),
    choice(
        keys::CUSTOMER_EMPLOYMENT_TYPE,
        "Employment type",
        Customer,
        "How the customer earns: SALARIED for an employee, SELF_EMPLOYED for a business owner \
         or professional.",
        &["SALARIED", "SELF_EMPLOYED"],
    ),
    field_of(
        "customer_product_name",
        "Product name",
        Customer,
        Kind::Text,
        "The name of what you are selling, as the lender should see it. Example: Family Floater",
        "Family Floater",
    ),
    field_of(
        "customer_product_tenure",
        "Loan tenure",
        Customer,
        Kind::Integer,
        "How long the customer wants the loan for, as a whole number. Example: 2",
        "2",
    ),
    field_of(
        "customer_id_type",
        "ID document type",
        Customer,
        Kind::Text,
        "The kind of identity document given. Example: AADHAR",
        "AADHAR",
    ),
    field_of(
        "customer_id_no",
        "ID document number",
        Customer,
        Kind::Text,
        "The number on that identity document. Example: 123412341234",
        "123412341234",
    ),
    field_of(
        keys::CUSTOMER_PAN,
        "PAN",
        Customer,
        Kind::Text,
        "The customer's PAN, for lenders that ask for it. Example: ABCDE1234F",
        "ABCDE1234F",
    ),
    field_of(
        "isIncomeConsentGiven",
        "Income consent given",
        Customer,
        Kind::Boolean,
        "true when the customer agreed that the lender may check their income. Example: true",
        "true",
    ),
    // ── Insurance policy ───────────────────────────────────────────────────────────────
    field_of(
        keys::CUSTOMER_POLICY_REF_NO,
        "Policy reference no.",
        Policy,
        Kind::Text,
        "Your reference for the policy; the lender keeps the loan application under it. \
         Example: POLREF54735HFHFD",
        "POLREF54735HFHFD",
    ),
    choice(
        keys::CUSTOMER_POLICY_TYPE,
        "Policy type",
        Policy,
        "NEW for a first policy, RENEWAL when an existing policy is renewed.",
        &["NEW", "RENEWAL"],
    ),
    field_of(
        "metadata.policy_renewal_year",
        "Renewal every (years)",
        Policy,
        Kind::Integer,
        "How often the policy is renewed, in years. Example: 2",
        "2",
    ),
    field_of(
        "metadata.customer_policy_no",
        "Policy number",
        Policy,
        Kind::Text,
        "The policy number printed on the customer's policy. Example: D0082477897865",
        "D0082477897865",
    ),
    field_of(
        keys::INSURED_MEMBER_DETAILS,
        "Insured members",
        Policy,
        Kind::MemberList,
        "Everyone the policy covers: one row per member with name and 10-digit mobile. \
         Example: Ravi Rao, 9876543210",
        "Ravi Rao, 9876543210",
    ),
    field_of(
        keys::CUSTOMER_NOMINEE_NAME,
        "Nominee name",
        Policy,
        Kind::Text,
        "Who receives the benefit if the policy holder dies. Example: Meena Rao",
        "Meena Rao",
    ),
    field_of(
        keys::CUSTOMER_NOMINEE_PHONE,
        "Nominee mobile",
        Policy,
        Kind::Phone,
        "The nominee's 10-digit mobile number (written with +91, a leading 0, spaces or dashes, it is sent as the 10 digits). Example: 9079638543",
        "9079638543",
    ),
    field_of(
        keys::IS_PRIMARY_HOLDER,
        "Customer is primary holder",
        Policy,
        Kind::Boolean,
        "true when the paying customer is the policy's primary holder. Sent as a JSON true or \
         false, not as text.",
        "true",
    ),
    // ── Education ──────────────────────────────────────────────────────────────────────
    field_of(
        "metadata.customer_product_name",
        "Course",
        Education,
        Kind::Text,
        "The course or programme being paid for. Example: MBA",
        "MBA",
    ),
    field_of(
        "metadata.customer_product_payment_type",
        "Loan tenure (months)",
        Education,
        Kind::Integer,
        "How long the education loan runs, as a whole number. Example: 6",
        "6",
    ),
    field_of(
        keys::STUDENT_NAME,
        "Student name",
        Education,
        Kind::Text,
        "Full name of the student, who may differ from the paying customer. Example: Kiran Rao",
        "Kiran Rao",
    ),
    choice(
        keys::STUDENT_ADMISSION_TYPE,
        "Admission type",
        Education,
        "NEW for a fresh admission, RENEWAL for a continuing student, TRANSFER for one moving \
         in from another institution.",
        &["NEW", "RENEWAL", "TRANSFER"],
    ),
    field_of(
        "metadata.customer_product_specialization",
        "Specialisation",
        Education,
        Kind::Text,
        "The course specialisation, for universities that ask. Example: Finance",
        "Finance",
    ),
    field_of(
        "metadata.customer_course_category",
        "Course category",
        Education,
        Kind::Text,
        "The level of the course, for universities that ask. Example: PG",
        "PG",
    ),
    field_of(
        "metadata.customer_course_year",
        "Course year",
        Education,
        Kind::Integer,
        "The year the course starts. Example: 2026",
        "2026",
    ),
    field_of(
        "metadata.customer_course_month",
        "Course month",
        Education,
        Kind::Text,
        "The month the course starts, written out. Example: January",
        "January",
    ),
    field_of(
        "metadata.customer_current_semester",
        "Current semester",
        Education,
        Kind::Integer,
        "The semester the student is in now. Example: 1",
        "1",
    ),
    field_of(
        "metadata.customer_fee_payment_type",
        "Fee paid per",
        Education,
        Kind::Text,
        "How the fee is billed. Example: Semester",
        "Semester",
    ),
    field_of(
        "metadata.customer_fee_payment_tenure",
        "Fee payment tenure",
        Education,
        Kind::Text,
        "Over how long the fee is paid, as the university writes it. Example: 6",
        "6",
    ),
    // ── Travel ─────────────────────────────────────────────────────────────────────────
    field_of(
        keys::ORIGIN,
        "From",
        Travel,
        Kind::Text,
        "Where the trip starts. Example: Bangalore",
        "Bangalore",
    ),
    field_of(
        keys::DESTINATION,
        "To",
        Travel,
        Kind::Text,
        "Where the trip goes. Example: Mangalore",
        "Mangalore",
    ),
    field_of(
        keys::TRAVEL_START_DATE,
        "Travel start date",
        Travel,
        Kind::DateDMonY,
        "First day of travel as day-Month-year with a 3-letter month. Example: 29-Dec-2024",
        "29-Dec-2024",
    ),
    field_of(
        keys::TRAVEL_END_DATE,
        "Travel end date",
        Travel,
        Kind::DateDMonY,
        "Last day of travel, not before the start. Example: 31-Dec-2024",
        "31-Dec-2024",
    ),
    field_of(
        keys::TRAVEL_TYPE,
        "Travel type",
        Travel,
        Kind::Text,
        "What is being bought, as the lender names it. Examples: Visa, One-way, Return",
        "Visa",
    ),
    field_of(
        "metadata.agent_name",
        "Agent name",
        Travel,
        Kind::Text,
        "The travel agent or agency selling the trip. Example: Juspay B2C",
        "Juspay B2C",
    ),
    field_of(
        "metadata.agent_email_id",
        "Agent email",
        Travel,
        Kind::Email,
        "The agent's email address. Example: bookings@agency.example.com",
        "bookings@agency.example.com",
    ),
    field_of(
        "metadata.agent_mobile",
        "Agent mobile",
        Travel,
        Kind::Phone,
        "The agent's 10-digit mobile number (written with +91, a leading 0, spaces or dashes, it is sent as the 10 digits). Example: 9888888888",
        "9888888888",
    ),
    field_of(
        "metadata.brand_name",
        "Brand name",
        Travel,
        Kind::Text,
        "The brand the trip is sold under. Example: Juspay B2C",
        "Juspay B2C",
    ),
    // ── Extras: user-defined values ────────────────────────────────────────────────────
    udf("udf1", "UDF 1", true),
    udf("udf2", "UDF 2", true),
    udf("udf3", "UDF 3", true),
    udf("udf4", "UDF 4", true),
    udf("udf5", "UDF 5", true),
    udf("udf6", "UDF 6", false),
    udf("udf7", "UDF 7", false),
    udf("udf8", "UDF 8", false),
    udf("udf9", "UDF 9", false),
    udf("udf10", "UDF 10", false),
];

/// Looks a field up by its wire key.
pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// The catalogue fields of one tab, in form order.
pub fn fields_in(section: Section) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.section == section)
}

/// True for `udf1`–`udf5`, which Juspay asks to keep free of special characters.
pub fn is_plain_udf(key: &str) -> bool {
    keys::UDF.iter().take(5).any(|k| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS.iter().skip(i + 1).all(|g| g.key != f.key),
                "duplicate key {}",
                f.key
            );
        }
    }

    #[test]
    fn every_enum_has_allowed_values_and_others_do_not_need_them() {
        for f in FIELDS {
            if f.kind == Kind::Enum {
                assert!(!f.allowed.is_empty(), "{} has no allowed values", f.key);
                assert!(
                    f.allowed.contains(&f.example),
                    "{} example not allowed",
                    f.key
                );
            }
            assert!(!f.help.is_empty() && !f.label.is_empty(), "{}", f.key);
        }
    }

    #[test]
    fn every_udf_is_in_extras() {
        for key in keys::UDF {
            assert_eq!(
                field(key).map(|f| f.section),
                Some(Section::Extras),
                "{key}"
            );
        }
    }

    #[test]
    fn kind_and_section_ids_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_id(k.id()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::json!(k.id()))
            );
        }
        for s in Section::ALL {
            assert_eq!(Section::from_id(s.id()), Some(s));
        }
    }
}
