//! Flags every command and the desk understand. They live here, not in `cli`, so the desk
//! can take them without importing the command line's dispatch.

use std::path::PathBuf;

use clap::Args;

/// Flags every command understands; they override config file and environment.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Config file to use instead of the default one (also PAYDESK_CONFIG).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Environment: demo, sandbox, production or a name from the config (also PAYDESK_ENV).
    #[arg(long = "env", global = true, value_name = "NAME")]
    pub env: Option<String>,
    /// Juspay base URL (also JUSPAY_BASE_URL). Must be https unless it is loopback.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Merchant id (also JUSPAY_MERCHANT_ID).
    #[arg(long, global = true, value_name = "ID")]
    pub merchant_id: Option<String>,
    /// Lender profile: generic, insurance, education, travel or one of yours.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Colour theme: dark, light, high-contrast or one of yours.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Use the embedded Juspay emulator (same as --env demo).
    #[arg(long, global = true)]
    pub demo: bool,
    /// The clerk working the desk, recorded with every order and refund (also
    /// PAYDESK_OPERATOR; over `operator` in the config).
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
}

impl GlobalArgs {
    /// The flags as the config layer's overrides.
    pub fn flags(&self) -> crate::config::Flags {
        crate::config::Flags {
            config: self.config.clone(),
            env: self.env.clone(),
            base_url: self.base_url.clone(),
            merchant_id: self.merchant_id.clone(),
            profile: self.profile.clone(),
            theme: self.theme.clone(),
            demo: self.demo,
            operator: self.operator.clone(),
        }
    }
}
