//! Headless Chromium through chromedriver, one per test.

use crate::selectors;
use crate::wait;
use anyhow::Context;
use fantoccini::actions::{InputSource, KeyAction, KeyActions, PointerAction, TouchActions};
use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::Stdio;
use tokio::process::{Child, Command};

const INSTALL_HINT: &str = "install them with `apt-get install -y chromium chromium-driver` \
    (tests/run.sh does this), or point CHROMIUM and CHROMEDRIVER at them";

/// A headless Chromium session; the browser and its driver stop when dropped.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

/// The screen a [`Browser`] emulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A 1280x900 desktop window with a mouse.
    Desktop,
    /// A 360x740 phone with a touch screen (Chrome's mobile emulation).
    Phone,
    /// The narrowest phone the survey supports: 320x568 with touch.
    Narrow,
}

/// The phone's viewport width in CSS pixels.
pub const PHONE_WIDTH: u32 = 360;

impl Browser {
    /// Starts chromedriver on a free port and opens a fresh headless Chromium profile on a desktop
    /// screen.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_on(Screen::Desktop).await
    }

    /// Starts chromedriver on a free port and opens a fresh headless Chromium profile.
    pub async fn start_on(screen: Screen) -> anyhow::Result<Self> {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        for path in [&chromium, &chromedriver] {
            anyhow::ensure!(
                std::path::Path::new(path).exists(),
                "{path} not found: the browser tests need Chromium and ChromeDriver; {INSTALL_HINT}"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {chromedriver}; {INSTALL_HINT}"))?;
        let webdriver = format!("http://127.0.0.1:{port}");
        wait::until("chromedriver to listen", || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .ok()
        })
        .await?;

        let profile = tempfile::tempdir()?;
        let mut options = json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
        });
        if let Some((width, height)) = match screen {
            Screen::Desktop => None,
            Screen::Phone => Some((PHONE_WIDTH, 740)),
            Screen::Narrow => Some((320, 568)),
        } {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                              (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
            });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .context("opening a Chromium session through chromedriver")?;
        Ok(Self {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    /// Runs `script` on the current page and returns what it returns.
    pub async fn run(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Runs `script` with a `cx('on', 'skip', ...)` listener on the page, and returns the next
    /// skip it reports (`{stage, reason}`): the survey that was asked for and not shown.
    pub async fn skip(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        let before = self
            .run(
                "if (!window.__skips) { window.__skips = []; cx('on', 'skip', d => __skips.push(d)); }
                 return __skips.length;",
            )
            .await?;
        let before = before.as_u64().unwrap_or(0) as usize;
        self.run(script).await?;
        wait::until("a survey to be skipped", || async {
            let skips = self.run("return window.__skips;").await.ok()?;
            skips.as_array()?.get(before).cloned()
        })
        .await
    }

    /// The widget's shadow root, once the widget has appeared on the page.
    pub async fn survey(&self) -> anyhow::Result<ShadowRoot> {
        wait::until("the survey to appear", || async {
            let host = self.client.find(Locator::Css(selectors::HOST)).await.ok()?;
            let root = host.shadow_root().await.ok()?;
            root.find(Locator::Css(selectors::QUESTION_TITLE))
                .await
                .ok()?;
            Some(root)
        })
        .await
    }

    /// Waits until the current question's heading contains `text`.
    pub async fn wait_for_question(&self, root: &ShadowRoot, text: &str) -> anyhow::Result<()> {
        wait::until(&format!("the question {text:?}"), || async {
            let title = root
                .find(Locator::Css(selectors::QUESTION_TITLE))
                .await
                .ok()?;
            title.text().await.ok()?.contains(text).then_some(())
        })
        .await
    }

    /// Waits for an element inside the widget.
    pub async fn wait_for(&self, root: &ShadowRoot, css: &str) -> anyhow::Result<Element> {
        wait::until(&format!("{css} in the survey"), || async {
            root.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    /// Presses and releases each key in turn, on whatever has focus (no element is targeted, so
    /// this is what a keyboard-only shopper does).
    pub async fn press(&self, keys: &[char]) -> anyhow::Result<()> {
        let mut actions = KeyActions::new("keyboard".into());
        for &key in keys {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Taps `element` with a finger (a touch pointer, not a mouse).
    pub async fn tap(&self, element: &Element) -> anyhow::Result<()> {
        let finger = TouchActions::new("finger".into())
            .then(PointerAction::MoveToElement {
                element: element.clone(),
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::Up { button: 0 });
        self.client.perform_actions(finger).await?;
        Ok(())
    }

    /// The width in CSS pixels of the widget's card.
    pub async fn survey_width(&self) -> anyhow::Result<f64> {
        let width = self
            .client
            .execute(
                "return document.querySelector(arguments[0]).shadowRoot
                     .querySelector('section').getBoundingClientRect().width;",
                vec![json!(selectors::HOST)],
            )
            .await?;
        width.as_f64().context("the survey has no width")
    }

    /// Types `text` on whatever has focus.
    pub async fn type_text(&self, text: &str) -> anyhow::Result<()> {
        self.press(&text.chars().collect::<Vec<_>>()).await
    }

    /// The role attribute of the element focused inside the widget, if focus is in the widget.
    pub async fn focused_in_survey(&self) -> anyhow::Result<Option<String>> {
        let value = self
            .client
            .execute(
                "const host = document.querySelector(arguments[0]);
                 const el = host && host.shadowRoot && host.shadowRoot.activeElement;
                 return el ? (el.getAttribute('role') || el.tagName.toLowerCase()) : null;",
                vec![json!(selectors::HOST)],
            )
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// The WCAG 2.x A and AA violations axe-core finds in the widget (its host and shadow root), as
    /// `{id, impact, help, nodes}` objects; empty when there are none.
    pub async fn accessibility_violations(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let axe_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path).with_context(|| {
            format!(
                "reading {} (install it with `collector/scripts/install-tools.sh --browser`)",
                axe_path.display()
            )
        })?;
        self.client.execute(&axe, vec![]).await?;
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
                 axe.run(document.querySelector(arguments[0]), { runOnly: { type: 'tag', values: tags } })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.html) }))))
                    .catch(e => done([{ id: 'axe-failed', help: String(e) }]));",
                vec![json!(selectors::HOST)],
            )
            .await?;
        Ok(result.as_array().cloned().unwrap_or_default())
    }

    /// Ends the session (the driver process is killed when dropped).
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}
