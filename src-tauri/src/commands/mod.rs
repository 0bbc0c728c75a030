//! One small function per command: check the session and role, call core, map the error.
pub mod backups;
pub mod clients;
pub mod dashboard;
pub mod documents;
pub mod drr;
pub mod flags;
pub mod governance;
pub mod pathway;
pub mod prison;
pub mod session;
pub mod settings;
pub mod sync;
pub mod workers;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every name the UI invokes is a command the shell registers, and every registered command
    /// is one the UI calls: a typo or a forgotten registration fails here, not in front of a
    /// worker.
    #[test]
    fn the_ui_invokes_exactly_the_registered_commands() {
        let main = include_str!("../main.rs");
        let handler = &main[main.find("generate_handler![").expect("the handler list")..];
        let handler = &handler["generate_handler![".len()..handler.find(']').expect("its end")];
        let registered: BTreeSet<&str> =
            handler.split(',').filter_map(|entry| entry.trim().rsplit("::").next()).filter(|name| !name.is_empty()).collect();
        // The UI's API, one file an area.
        let api = [
            include_str!("../../../ui/src/lib/api/session.ts"),
            include_str!("../../../ui/src/lib/api/clients.ts"),
            include_str!("../../../ui/src/lib/api/pathway.ts"),
            include_str!("../../../ui/src/lib/api/drr.ts"),
            include_str!("../../../ui/src/lib/api/prison.ts"),
            include_str!("../../../ui/src/lib/api/dashboard.ts"),
            include_str!("../../../ui/src/lib/api/sync.ts"),
            include_str!("../../../ui/src/lib/api/governance.ts"),
            include_str!("../../../ui/src/lib/api/backups.ts"),
            include_str!("../../../ui/src/lib/api/tasks.ts"),
            include_str!("../../../ui/src/lib/api/documents.ts"),
        ]
        .concat();
        let invoked: BTreeSet<&str> = api
            .match_indices("invoke(\"")
            .map(|(at, opening)| {
                let rest = &api[at + opening.len()..];
                &rest[..rest.find('"').expect("a closing quote")]
            })
            .collect();
        let unknown: Vec<_> = invoked.difference(&registered).collect();
        assert!(unknown.is_empty(), "the UI invokes commands the shell does not register: {unknown:?}");
        let unreachable: Vec<_> = registered.difference(&invoked).collect();
        assert!(unreachable.is_empty(), "registered commands the UI never calls: {unreachable:?}");
        assert!(registered.len() > 90, "the handler list was read ({} commands)", registered.len());
    }
}
