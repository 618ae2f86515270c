use clap::Parser;
use calmdesk::cli::{Args, Command};

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.command {
        Some(Command::Analyze { file, json }) => {
            let stdout = std::io::stdout();
            calmdesk::cli::analyze::run(file.as_deref(), json, &mut stdout.lock())
        }
        None => anyhow::bail!("the window is being built on main"),
    }
}
