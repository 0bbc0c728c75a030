//! Drives the real Throughline binary through tauri-driver and WebKitWebDriver. Each journey
//! gets its own data folder and its own screenshots folder.
#![allow(dead_code)]
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const DRIVER: &str = "http://127.0.0.1:4444";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace").to_path_buf()
}

/// The debug app binary `make app` builds (this crate does not build it), or the one
/// `THROUGHLINE_APP` names (the release build, for timing screens at bench scale).
pub fn app_binary() -> PathBuf {
    if let Some(app) = std::env::var_os("THROUGHLINE_APP") {
        return PathBuf::from(app);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"));
    let app = target.join("debug").join("throughline");
    assert!(app.exists(), "build the app first (make app): {} is missing", app.display());
    app
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// One journey: a tauri-driver whose app uses `data` as its folder.
pub struct Journey {
    driver: Child,
    pub data: tempfile::TempDir,
    /// The data folder the app is open on now (`data`, or another laptop's).
    folder: PathBuf,
    shots: PathBuf,
    shot_count: usize,
    pub client: Option<Client>,
}

impl Journey {
    pub async fn start(name: &str) -> Journey {
        Self::start_with(name, |_| {}).await
    }

    /// As [`Journey::start`], after `prepare` has filled the data folder (e.g. a demo team).
    pub async fn start_with(name: &str, prepare: impl FnOnce(&Path)) -> Journey {
        let data = tempfile::tempdir().expect("temporary data folder");
        prepare(data.path());
        let driver = start_driver(data.path()).await;
        let shots = workspace().join("tests/screenshots").join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("screenshots folder");
        let folder = data.path().to_path_buf();
        let mut journey = Journey { driver, data, folder, shots, shot_count: 0, client: None };
        journey.open_app().await;
        journey
    }

    /// As [`Journey::start`], on a data folder that is already set up and stays where it is
    /// (a bench-scale installation, too big to copy).
    pub async fn start_on(name: &str, folder: &Path) -> Journey {
        let mut journey = Self::start(name).await;
        journey.move_to(folder).await;
        journey
    }

    /// Closes the app and opens it on another laptop's data folder (the journey's own folder is
    /// the first laptop's): two installations, one at a time, as two laptops would be.
    pub async fn move_to(&mut self, folder: &Path) {
        self.close_app().await;
        stop_driver(&mut self.driver);
        self.folder = folder.to_path_buf();
        self.driver = start_driver(folder).await;
        self.open_app().await;
    }

    /// Starts the app (again): a new WebDriver session launches a new app process.
    pub async fn open_app(&mut self) {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), serde_json::json!("wry"));
        caps.insert("tauri:options".into(), serde_json::json!({ "application": app_binary(), "args": [] }));
        // A driver just restarted (another laptop's folder) may listen before the WebKit driver
        // behind it is ready, which on a busy machine has taken more than five seconds: try
        // again for up to half a minute before giving up.
        let mut tries = 0;
        let client = loop {
            match ClientBuilder::native().capabilities(caps.clone()).connect(DRIVER).await {
                Ok(client) => break client,
                Err(e) if tries < 60 => {
                    tries += 1;
                    eprintln!("WebDriver session not ready ({e}); trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        self.client = Some(client);
    }

    /// Closes the app, as a worker closing the window would, and waits for it to exit.
    pub async fn close_app(&mut self) {
        if let Some(c) = self.client.take() {
            c.close().await.expect("close the app");
        }
        app_gone(&self.folder);
    }

    pub fn c(&self) -> &Client {
        self.client.as_ref().expect("the app is open")
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.c()
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
    }

    pub async fn fill(&self, id: &str, text: &str) {
        let el = self.wait_for(&format!("#{id}")).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.unwrap_or_else(|e| panic!("typing into #{id}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// Clicks the `target` (a class) inside the first `item` (a class) whose text contains `words`.
    pub async fn click_in_item(&self, item: &str, words: &str, target: &str) {
        let xpath = format!(
            "//*[contains(concat(' ', @class, ' '), ' {item} ')][contains(., '{words}')]//*[contains(concat(' ', @class, ' '), ' {target} ')]"
        );
        self.c()
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("waiting for {target} in the {item} showing {words:?}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Chooses the option with this value in a select.
    pub async fn choose(&self, id: &str, value: &str) {
        self.wait_for(&format!("#{id}")).await.select_by_value(value).await.unwrap_or_else(|e| panic!("choosing {value} in #{id}: {e}"));
    }

    /// Waits until nothing matches `css` (e.g. a cleared flag).
    pub async fn wait_for_no_text(&self, css: &str, gone: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mut texts = Vec::new();
            for el in self.c().find_all(Locator::Css(css)).await.unwrap_or_default() {
                texts.push(el.text().await.unwrap_or_default());
            }
            if !texts.iter().any(|t| t.contains(gone)) {
                return;
            }
            assert!(Instant::now() < deadline, "expected {gone:?} to go from {css}; it still reads {texts:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.expect("element text")
    }

    pub async fn value(&self, id: &str) -> String {
        self.wait_for(&format!("#{id}")).await.prop("value").await.expect("value").unwrap_or_default()
    }

    /// Waits until the page's single h1 reads `heading`.
    pub async fn wait_for_heading(&self, heading: &str) {
        self.wait_for_heading_within(heading, Duration::from_secs(15)).await
    }

    pub async fn wait_for_heading_within(&self, heading: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let now = self.c().find(Locator::Css("h1")).await.ok();
            let text = match now {
                Some(h) => h.text().await.unwrap_or_default(),
                None => String::new(),
            };
            if text.trim() == heading {
                return;
            }
            assert!(Instant::now() < deadline, "expected the heading {heading:?}, the page shows {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element's text contains `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = match self.c().find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return;
            }
            assert!(Instant::now() < deadline, "expected {css} to contain {expected:?}; it reads {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Signs in on the sign-in screen.
    pub async fn sign_in(&self, login: &str, password: &str) {
        self.wait_for_heading("Sign in to Throughline").await;
        self.fill("login", login).await;
        self.fill("password", password).await;
        self.keys(ENTER).await;
    }

    /// Waits until the element shows a person's name, whichever case convention the screen
    /// uses ("SMITH, John" in lists, "John Smith" in headings).
    pub async fn wait_for_name(&self, css: &str, name: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = match self.c().find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.to_lowercase().contains(&name.to_lowercase()) {
                return;
            }
            assert!(Instant::now() < deadline, "expected {css} to show {name:?}; it reads {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses keys as a person at the keyboard would, wherever focus is (WebDriver key codes,
    /// e.g. "\u{E007}" for Enter).
    pub async fn keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys.chars() {
            actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        }
        self.c().perform_actions(actions).await.expect("keys");
    }

    /// Whether focus is on an element matching `css`.
    pub async fn focused(&self, css: &str) -> bool {
        let on = self
            .c()
            .execute("return !!document.activeElement && document.activeElement.matches(arguments[0]);", vec![css.into()])
            .await
            .expect("read the focus");
        on.as_bool().unwrap_or(false)
    }

    /// Presses Tab until focus is on `css`, as a person at the keyboard would, and returns how
    /// many presses that took (none when it is already there).
    pub async fn tab_to(&self, css: &str) -> u32 {
        for presses in 0..60 {
            if self.focused(css).await {
                return presses;
            }
            self.keys(TAB).await;
        }
        panic!("60 presses of Tab did not reach {css}");
    }

    /// Runs axe-core over the page as it is now, in the real web view, colour contrast
    /// included (the UI's unit tests cannot check it without a layout), and fails with every
    /// violation. `page` names the screen in the failure.
    pub async fn expect_no_axe_violations(&self, page: &str) {
        let loaded = self.c().execute("return !!window.axe;", vec![]).await.expect("look for axe");
        if !loaded.as_bool().unwrap_or(false) {
            let axe = std::fs::read_to_string(workspace().join("ui/node_modules/axe-core/axe.min.js"))
                .expect("axe-core is installed with the UI's packages");
            self.c().execute(&format!("{axe}\nreturn true;"), vec![]).await.expect("load axe-core into the page");
        }
        let found = self
            .c()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(
                   (r) => done(r.violations.map((v) => v.id + ': ' + v.help + '\\n  ' + v.nodes.map((n) => n.html).join('\\n  '))),
                   (e) => done(['axe could not run: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let found: Vec<String> = serde_json::from_value(found).expect("axe's violations");
        assert!(found.is_empty(), "{page} has accessibility problems:\n{}", found.join("\n"));
    }

    /// Saves a screenshot as NN-name.png in tests/screenshots/<journey>/.
    pub async fn shot(&mut self, name: &str) {
        self.shot_count += 1;
        // WebKitWebDriver now and then fails a capture while the page is still painting (an
        // "unknown error" with no message); the page is fine, so take it again a moment later.
        let mut tries = 0;
        let png = loop {
            match self.c().screenshot().await {
                Ok(png) => break png,
                Err(e) if tries < 5 => {
                    tries += 1;
                    eprintln!("screenshot {name}: {e:?}; trying again");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => panic!("screenshot {name}: {e:?}"),
            }
        };
        std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.shot_count)), png).expect("save screenshot");
    }

    /// What the app open on this journey's folder holds in memory now.
    pub fn memory(&self) -> Memory {
        let app = app_processes(&self.folder).first().cloned().expect("the app is running");
        let mut tree = vec![app.clone()];
        let mut i = 0;
        while i < tree.len() {
            for task in std::fs::read_dir(format!("/proc/{}/task", tree[i])).into_iter().flatten().flatten() {
                let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
                tree.extend(children.split_whitespace().map(str::to_string));
            }
            i += 1;
        }
        let kib = |pid: &str, file: &str, key: &str| -> f64 {
            let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap_or_default();
            let line = text.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap_or("");
            line.split_whitespace().nth(1).and_then(|n| n.parse::<f64>().ok()).unwrap_or(0.0)
        };
        Memory {
            app_rss: kib(&app, "status", "VmRSS") / 1024.0,
            all_rss: tree.iter().map(|p| kib(p, "status", "VmRSS")).sum::<f64>() / 1024.0,
            all_pss: tree.iter().map(|p| kib(p, "smaps_rollup", "Pss")).sum::<f64>() / 1024.0,
            processes: tree.len(),
        }
    }

    pub async fn finish(mut self) {
        self.close_app().await;
    }
}

impl Drop for Journey {
    fn drop(&mut self) {
        stop_driver(&mut self.driver);
    }
}

/// The app's memory in MiB: its own resident set, and the resident and proportional (shared
/// pages split between sharers) sets of it and the WebKit processes it started.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub app_rss: f64,
    pub all_rss: f64,
    pub all_pss: f64,
    pub processes: usize,
}

/// A tauri-driver whose app uses `folder` as its data folder.
async fn start_driver(folder: &Path) -> Child {
    let driver =
        Command::new(tauri_driver()).env("THROUGHLINE_DATA_DIR", folder).spawn().expect("tauri-driver runs (make setup-test installs it)");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect("127.0.0.1:4444").is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not start listening");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver
}

/// The journey's app processes still running on `folder`: the app binary (as /proc names
/// it), started with that data folder (tauri-driver passes its environment on).
fn app_processes(folder: &Path) -> Vec<String> {
    let app = app_binary().canonicalize().unwrap_or_else(|_| app_binary());
    let setting = format!("THROUGHLINE_DATA_DIR={}", folder.display());
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| exe == app))
        .filter(|e| std::fs::read(e.path().join("environ")).is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == setting.as_bytes())))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Waits for the app closed on `folder` to have exited (it lets go of the folder as it does),
/// as one laptop is shut before the next opens. Now and then the app a WebDriver session
/// ended is left running without its window (seen after an import, once in a few runs): after
/// three seconds it is stopped.
fn app_gone(folder: &Path) {
    let running = || !app_processes(folder).is_empty();
    let deadline = Instant::now() + Duration::from_secs(3);
    while running() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    for pid in app_processes(folder) {
        eprintln!("the app closed on {} (process {pid}) was still running: stopping it", folder.display());
        let _ = Command::new("kill").arg("-TERM").arg(&pid).status();
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while running() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop_driver(driver: &mut Child) {
    // SIGTERM lets tauri-driver stop WebKitWebDriver too; a plain kill would leave it running.
    let _ = Command::new("kill").arg("-TERM").arg(driver.id().to_string()).status();
    let _ = driver.wait();
    // The port is free again before the next driver starts.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect("127.0.0.1:4444").is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs xdotool with these arguments, which must succeed.
pub fn xdotool(args: &[&str]) {
    assert!(
        Command::new("xdotool").args(args).status().expect("xdotool (installed by scripts/install-deps.sh --test)").success(),
        "xdotool {args:?}"
    );
}

/// Waits for the system's dialog titled `title` to show, focuses it and returns its window.
pub fn focus_dialog(title: &str) -> String {
    let found = Command::new("xdotool")
        .args(["search", "--sync", "--onlyvisible", "--name", title])
        .output()
        .expect("xdotool (installed by scripts/install-deps.sh --test)");
    let window = String::from_utf8_lossy(&found.stdout).lines().next().expect("the dialog opened").to_string();
    xdotool(&["windowfocus", "--sync", &window]);
    std::thread::sleep(Duration::from_millis(500));
    window
}

/// Types a path into the system's file dialog titled `title` once it is open, as a person
/// would: the save dialog's name field takes a whole path; an open dialog's location field
/// (Ctrl+L) does too.
pub fn path_into_dialog(title: &str, path: &Path, opening: bool) {
    let window = focus_dialog(title);
    let run = xdotool;
    run(&["key", "--clearmodifiers", if opening { "ctrl+l" } else { "ctrl+a" }]);
    std::thread::sleep(Duration::from_millis(300));
    run(&["type", "--delay", "20", &path.display().to_string()]);
    // The open dialog looks the typed path up as it is typed; Return takes effect once it has.
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(600));
        let open = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .output()
            .map(|o| !o.stdout.is_empty())
            .unwrap_or(false);
        if !open {
            return;
        }
        run(&["key", "--window", &window, "Return"]);
    }
}

/// Chooses a folder in the system's folder dialog titled `title` once it is open, as a person
/// would: from the home folder (a dialog opening on Recent lists files, not folders to type
/// into), the location typed (Ctrl+L), then Enter.
pub fn folder_into_dialog(title: &str, folder: &Path) {
    focus_dialog(title);
    let run = xdotool;
    run(&["key", "--clearmodifiers", "alt+Home"]);
    std::thread::sleep(Duration::from_millis(300));
    run(&["key", "--clearmodifiers", "ctrl+l"]);
    std::thread::sleep(Duration::from_millis(200));
    run(&["key", "--clearmodifiers", "ctrl+a"]);
    run(&["type", "--delay", "20", &folder.display().to_string()]);
    std::thread::sleep(Duration::from_millis(300));
    run(&["key", "Return"]);
}

/// A moment `minutes_ago` as the London date ("23/11/2026") and time ("14:30") a worker types.
pub fn london_ago(minutes_ago: i64) -> (String, String) {
    let at = (chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).with_timezone(&chrono_tz::Europe::London);
    (at.format("%d/%m/%Y").to_string(), at.format("%H:%M").to_string())
}

pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
pub const ARROW_DOWN: &str = "\u{E015}";
pub const TAB: &str = "\u{E004}";
