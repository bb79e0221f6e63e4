fn main() -> std::process::ExitCode {
    paydesk::cli::main()
}
