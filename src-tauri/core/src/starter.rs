//! The built-in starter plan. A new database is seeded with it so that the app is useful the
//! moment it opens: every section is filled in with a worked example that a team can read,
//! rehearse and then rewrite as its own, instead of facing seven empty forms.
//!
//! The example is a small team running a fictional lending protocol. Every person, organisation,
//! address, phone number and handle in it is invented example data (`example.com`,
//! `example.org`, the 555-01xx range); none of it reaches anyone real. The plan is marked
//! `is_example` so the UI can say so.
//!
//! Only contacts' `last_verified` depends on the day passed in, so a fresh install starts with
//! freshly verified contacts; nothing here reads the clock.

use chrono::{NaiveDate, NaiveTime};

use crate::plan::{
    id, Audience, Category, CommunicationRule, CoreMember, DecisionPolicy, Detection,
    EscalationRule, ExercisePolicy, ExtendedContact, Id, Monitoring, NotifyWhen, OnCallRotation,
    Plan, PlanMeta, PotentialIssue, Procedure, Reach, Severity, Step, Timing, Weekday,
};

// Category ids.
const HACKER: &str = "hacker-attack";
const NETWORK: &str = "network-problem";
const PROTOCOL: &str = "protocol-problem";
const OPERATIONAL: &str = "operational-problem";

// Core team ids.
const CEO: &str = "ada-example";
const COO: &str = "ben-sample";
const CFO: &str = "chloe-demo";
const ENGINEER: &str = "dara-mock";

// Extended team ids.
const CONSULTANT: &str = "brightline-security";
const LIAISON: &str = "eli-forum";
const POLICE: &str = "metro-cyber-crime-unit";
const RESPONSE_GROUP: &str = "example-security-response-group";
const EXCHANGE: &str = "example-exchange-security";

// Decision policy ids.
const PAUSE: &str = "pause-contract";
const UPGRADE: &str = "upgrade-contract";
const FUND: &str = "access-emergency-fund";
const LAW: &str = "notify-law-enforcement";

/// The starter plan. `today` becomes every contact's `last_verified`.
pub fn plan(today: NaiveDate) -> Plan {
    Plan {
        meta: PlanMeta {
            name: "Harbor Protocol emergency response plan (example)".to_owned(),
            organisation: "Harbor Protocol (example)".to_owned(),
            summary: "A worked example for a four-person team running a lending protocol on \
                      Ethereum: upgradeable pool contracts behind a timelock, a guardian Safe \
                      that can pause them, keepers that run liquidations, and a web app. \
                      Everyone and everything in it is fictional; replace the people, numbers, \
                      channels and tools with your own, then rehearse it."
                .to_owned(),
            is_example: true,
        },
        categories: categories(),
        issues: with_alert_rules(issues()),
        procedures: procedures(),
        escalation: escalation(),
        core_team: core_team(today),
        extended_team: extended_team(today),
        on_call: on_call(today),
        communications: communications(),
        decisions: decisions(),
        exercise_policy: ExercisePolicy {
            while_new_every_weeks: 4,
            new_for_months: 6,
            established_every_months: 6,
            session_hours: 2,
        },
    }
}

fn ids(list: &[&str]) -> Vec<Id> {
    list.iter().copied().map(id).collect()
}

fn category(id_: &str, name: &str, description: &str) -> Category {
    Category {
        id: id(id_),
        name: name.to_owned(),
        description: description.to_owned(),
    }
}

fn categories() -> Vec<Category> {
    vec![
        category(
            HACKER,
            "Hacker attack",
            "Someone is deliberately attacking the protocol, its users or the team: draining \
             funds, taking over admin keys or flooding our services.",
        ),
        category(
            NETWORK,
            "Network problem",
            "The chain or the infrastructure we reach it through misbehaves: gas spikes, RPC \
             outages, halts and deep reorganisations. Our code is fine, but it cannot act.",
        ),
        category(
            PROTOCOL,
            "Protocol problem",
            "Our contracts or the services they depend on behave in a way they should not: \
             bugs, bad oracle prices, transactions that start failing.",
        ),
        category(
            OPERATIONAL,
            "Operational problem",
            "Something around the contracts goes wrong: the web app or domain is tampered \
             with, or a key holder the plan relies on cannot be reached.",
        ),
    ]
}

fn detect(signal: &str, monitoring: Monitoring, source: &str) -> Detection {
    Detection {
        signal: signal.to_owned(),
        monitoring,
        source: source.to_owned(),
        alerts: Vec::new(),
    }
}

fn issue(
    id_: &str,
    category: &str,
    title: &str,
    severity: Severity,
    description: &str,
    detection: Detection,
) -> PotentialIssue {
    PotentialIssue {
        id: id(id_),
        category: id(category),
        title: title.to_owned(),
        description: description.to_owned(),
        detection,
        severity,
    }
}

/// The alerts (by Prometheus `alertname`) that raise the starter plan's
/// automated issues; see docs/alerts.md.
const ALERT_NAMES: &[(&str, &str)] = &[
    ("protocol-ddos", "PoolCallFlood"),
    ("stolen-user-funds", "UnusualOutflow"),
    ("stolen-admin-credentials", "AdminRoleUsed"),
    ("gas-price-spike", "GasPriceSpike"),
    ("rpc-provider-outage", "RpcProviderDown"),
    ("chain-halt-or-reorg", "ChainHeadStalled"),
    ("oracle-failure", "OracleStale"),
    ("failed-transaction-spike", "PoolRevertRate"),
    ("dns-hijack", "DnsRecordsChanged"),
];

/// Gives each automated issue its alert rule.
fn with_alert_rules(mut issues: Vec<PotentialIssue>) -> Vec<PotentialIssue> {
    for issue in &mut issues {
        let automated = issue.detection.monitoring == Monitoring::Automated;
        if let Some((_, name)) = ALERT_NAMES.iter().find(|(i, _)| *i == issue.id.as_str()) {
            if automated {
                issue.detection.alerts.push(crate::plan::AlertRule {
                    labels: [("alertname".to_owned(), (*name).to_owned())].into(),
                    severity: None,
                });
            }
        }
    }
    issues
}

fn issues() -> Vec<PotentialIssue> {
    use Monitoring::{Automated, Manual};
    use Severity::{S1, S2, S3, S4};
    vec![
        issue(
            "protocol-ddos",
            HACKER,
            "Protocol DDoS",
            S2,
            "Someone floods our API and RPC proxy, or spams the pool with cheap calls, so the \
             app stops loading and keeper transactions fall behind.",
            detect(
                "Requests per second to the app or RPC proxy above 5x the 7-day baseline for \
                 10 minutes, or the keeper queue holding jobs older than 5 minutes.",
                Automated,
                "Grafana dashboard 'Edge traffic' → PagerDuty rotation",
            ),
        ),
        issue(
            "stolen-user-funds",
            HACKER,
            "Stolen user funds",
            S1,
            "An attacker drains user deposits through a flaw in the pool contracts or a \
             manipulated price. Every block we wait can cost more.",
            detect(
                "Net outflow from the pool above 5% of total value locked within 10 blocks, or \
                 a withdrawal larger than the withdrawing account ever deposited.",
                Automated,
                "Forta alert bot 'harbor-outflow' → #alerts and PagerDuty",
            ),
        ),
        issue(
            "stolen-admin-credentials",
            HACKER,
            "Stolen admin credentials",
            S1,
            "A signer key, deploy key or cloud account with admin rights is in someone else's \
             hands. They may queue an upgrade, grant themselves roles or sweep the treasury.",
            detect(
                "A Safe transaction proposed or signed that nobody announced in #signers, or a \
                 RoleGranted or upgrade call appearing in the timelock queue.",
                Automated,
                "OpenZeppelin Defender monitor on the admin Safe and timelock → #alerts",
            ),
        ),
        issue(
            "gas-price-spike",
            NETWORK,
            "Gas price spike",
            S3,
            "The base fee climbs far above normal, so keeper and user transactions wait in the \
             mempool and liquidations run late.",
            detect(
                "Base fee above 150 gwei for 15 minutes, or keeper transactions pending for \
                 more than 3 blocks.",
                Automated,
                "Grafana dashboard 'Gas & keepers'",
            ),
        ),
        issue(
            "rpc-provider-outage",
            NETWORK,
            "RPC provider outage",
            S2,
            "Our primary RPC provider is down or serving stale blocks. The app shows wrong \
             balances and keepers stop acting.",
            detect(
                "Error rate above 5%, or head block more than 3 blocks behind our own node, for \
                 5 minutes.",
                Automated,
                "Grafana dashboard 'RPC health' → PagerDuty",
            ),
        ),
        issue(
            "chain-halt-or-reorg",
            NETWORK,
            "Chain halt or deep reorg",
            S2,
            "The chain stops producing or finalising blocks, or reorganises deeper than usual, \
             so recent deposits, liquidations and price updates may be delayed or undone.",
            detect(
                "No new block for 2 minutes, a reorg deeper than 2 blocks, or finality more \
                 than 3 epochs behind.",
                Automated,
                "Grafana dashboard 'Chain head' (own node compared with two providers)",
            ),
        ),
        issue(
            "unknown-bug",
            PROTOCOL,
            "Unknown bug",
            S2,
            "Someone reports contract behaviour that should be impossible, such as a wrong \
             health factor or interest that does not accrue. Funds may or may not be at risk.",
            detect(
                "A bug report, bounty submission or support ticket that describes unexpected \
                 contract behaviour.",
                Manual,
                "security@harbor.example.org, bug bounty inbox, Community Discord #support",
            ),
        ),
        issue(
            "oracle-failure",
            PROTOCOL,
            "Oracle failure",
            S1,
            "A price feed stops updating or reports a price far from the market. Positions can \
             then be liquidated unfairly, or borrowed against at a false value.",
            detect(
                "A feed not updated within its heartbeat plus 10 minutes, or a price more than \
                 3% away from the median of two reference sources.",
                Automated,
                "Oracle watcher (scripts/oracle-watch.ts, every minute) → #alerts",
            ),
        ),
        issue(
            "failed-transaction-spike",
            PROTOCOL,
            "Failed-transaction spike",
            S2,
            "Many calls to the pool start reverting, for example after a parameter change or a \
             token upgrade, and users cannot repay or withdraw.",
            detect(
                "Reverted calls above 10% of pool calls over 30 minutes (normally under 2%).",
                Automated,
                "Tenderly alert 'pool revert rate' → #alerts",
            ),
        ),
        issue(
            "frontend-compromise",
            OPERATIONAL,
            "Front-end compromise",
            S1,
            "The web app served to users has been altered to request malicious approvals or to \
             send deposits to an attacker's address.",
            detect(
                "Users report unexpected approval or signature prompts, or the served bundle's \
                 hash differs from the release record.",
                Manual,
                "Community Discord / X mentions; nightly bundle-hash check in CI",
            ),
        ),
        issue(
            "dns-hijack",
            OPERATIONAL,
            "DNS hijack",
            S1,
            "Our domain's DNS records or registrar account are changed so that users land on a \
             look-alike site that steals their funds.",
            detect(
                "DNS records for harbor.example.org differ from the approved set, or the TLS \
                 certificate's issuer changes.",
                Automated,
                "DNS record monitor (scripts/dns-check.sh, every 5 minutes) → #alerts",
            ),
        ),
        issue(
            "key-holder-unreachable",
            OPERATIONAL,
            "Key holder unreachable",
            S4,
            "A multisig signer cannot be reached (travel, a lost device, illness), so a pause \
             or upgrade could miss its quorum when it is needed.",
            detect(
                "A signer does not acknowledge a page within 15 minutes, or misses the weekly \
                 signer check-in.",
                Manual,
                "PagerDuty acknowledgement log; weekly check-in thread in #signers",
            ),
        ),
    ]
}

fn step(
    id_: &str,
    action: &str,
    how: &str,
    tools: &str,
    test: &str,
    minutes: u32,
    decision: Option<&str>,
) -> Step {
    Step {
        id: id(id_),
        action: action.to_owned(),
        how: how.to_owned(),
        tools: tools.to_owned(),
        test: test.to_owned(),
        expected_minutes: Some(minutes),
        decision: decision.map(id),
        command: None,
        automatable: false,
    }
}

fn procedure(
    id_: &str,
    title: &str,
    summary: &str,
    issues: &[&str],
    steps: Vec<Step>,
) -> Procedure {
    Procedure {
        id: id(id_),
        title: title.to_owned(),
        summary: summary.to_owned(),
        issues: ids(issues),
        steps,
    }
}

fn procedures() -> Vec<Procedure> {
    vec![
        contain_exploit(),
        patch_and_upgrade(),
        recover_and_reimburse(),
        secure_admin_keys(),
        fail_over_rpc(),
        keep_transactions_flowing(),
        handle_oracle_failure(),
        restore_front_end(),
    ]
}

fn contain_exploit() -> Procedure {
    procedure(
        "contain-exploit",
        "Contain an active exploit",
        "Stop the loss first: pause the pool and put up the maintenance page, then work out how \
         the attack works while the war room records everything.",
        &[
            "stolen-user-funds",
            "stolen-admin-credentials",
            "unknown-bug",
        ],
        vec![
            step(
                "open-war-room",
                "Open the war room and assign roles",
                "Create the private responders' group and name an incident lead, a scribe and a \
                 communications manager. Start the timeline with the alert that triggered it.",
                "Signal, incident timeline in Muster",
                "Every core member has acknowledged in the group and the timeline has its first \
                 entry.",
                5,
                None,
            ),
            step(
                "pause-pool",
                "Pause the lending pool",
                "Propose `pause()` on the pool through the guardian Safe and collect the \
                 signatures the pause policy asks for. Keep repayments open if the exploit does \
                 not go through them.",
                "Safe multisig UI, scripts/pause.ts",
                "`cast call <pool> \"paused()(bool)\"` returns true, and a deposit from the test \
                 wallet reverts with `Paused`.",
                10,
                Some(PAUSE),
            ),
            step(
                "show-maintenance-page",
                "Show the maintenance page",
                "Switch the app to maintenance mode so nobody signs new transactions against \
                 the pool. The page says what is paused and where updates will appear.",
                "Hosting dashboard feature flag `MAINTENANCE=1`, status page",
                "The app shows the maintenance page from two different networks and offers no \
                 wallet connection.",
                5,
                None,
            ),
            step(
                "identify-exploit",
                "Identify the exploit",
                "Trace the attacker's transactions call by call, note the functions and state \
                 they relied on, and reproduce the attack on a fork of the block before the \
                 first one.",
                "Tenderly, Etherscan, Foundry `cast run`, anvil fork",
                "The reproduction on the fork moves the same amounts as on chain, and the root \
                 cause is written in the timeline.",
                60,
                None,
            ),
            step(
                "record-attacker-activity",
                "Record attacker addresses and fund movements",
                "Fill the war-room tables: suspicious transactions, affected addresses, attacker \
                 information and where the stolen funds went. Keep them current as funds move.",
                "War-room spreadsheet, Etherscan address labels, Tenderly",
                "Every attacker address has a current balance and a last-checked time under 30 \
                 minutes old.",
                30,
                None,
            ),
            step(
                "call-in-security-help",
                "Call in outside security help",
                "Send the security consultant firm and the emergency security response group the \
                 root-cause notes and attacker addresses. Ask them to check the analysis and \
                 look for the same flaw in our other contracts.",
                "Signal and Telegram contacts from the extended team, shared incident folder",
                "Both have acknowledged and named a person for this incident; the names are in \
                 the timeline.",
                15,
                None,
            ),
        ],
    )
}

fn patch_and_upgrade() -> Procedure {
    procedure(
        "patch-and-upgrade",
        "Patch and emergency upgrade",
        "Fix the flaw on a fork, have it reviewed by someone who did not write it, ship it \
         through the emergency upgrade path and unpause in stages.",
        &[
            "stolen-user-funds",
            "unknown-bug",
            "oracle-failure",
            "failed-transaction-spike",
        ],
        vec![
            step(
                "write-patch",
                "Write the smallest patch that closes the flaw",
                "Change only what the root cause needs. Add a regression test that reproduces \
                 the attack or bug and fails without the patch.",
                "Foundry (forge), pool repository, branch `hotfix/<incident>`",
                "The regression test fails on the current release and passes with the patch.",
                90,
                None,
            ),
            step(
                "test-on-fork",
                "Test the patch on a mainnet fork",
                "Run the full test suite and the regression test against a fork of the latest \
                 block, with the upgrade applied through the real proxy admin.",
                "anvil fork + forge test, scripts/upgrade-fork.ts, `forge inspect` storage layout",
                "All tests pass on the fork and the storage layout diff against the release \
                 shows no moved or overwritten slots.",
                45,
                None,
            ),
            step(
                "review-patch",
                "Get an independent review",
                "Send the diff, the regression test and the fork results to the security \
                 consultant firm. At least one reviewer who did not write the patch approves it \
                 in writing.",
                "GitHub pull request, Brightline Security (example)",
                "The approval is on the pull request and linked from the timeline.",
                60,
                None,
            ),
            step(
                "emergency-upgrade",
                "Execute the emergency upgrade",
                "Deploy and verify the new implementation, then propose `upgradeTo` through the \
                 emergency Safe path that skips the timelock, as our governance allows. Each \
                 signer checks the address against the reviewed build before signing.",
                "Foundry `forge create --verify`, Safe multisig UI, scripts/upgrade.ts",
                "The proxy's EIP-1967 implementation slot (`cast storage`) holds the new address \
                 and its source is verified on Etherscan.",
                30,
                Some(UPGRADE),
            ),
            step(
                "unpause-in-stages",
                "Unpause in stages",
                "Unpause repayments and withdrawals first and watch for an hour, then borrowing. \
                 Keep the maintenance banner up until the last stage is open.",
                "Safe multisig UI, scripts/pause.ts --unpause",
                "Withdrawals and borrows from the test wallet succeed and the pool revert rate \
                 is back under 2%.",
                90,
                Some(PAUSE),
            ),
            step(
                "watch-after-upgrade",
                "Watch closely for 24 hours",
                "Lower the outflow alert threshold to 1% of total value locked for a day and \
                 keep one responder on call with the pause script ready.",
                "Forta alert bot, Grafana, PagerDuty",
                "No alert fired for 24 hours, or each one was checked and noted in the timeline.",
                1440,
                None,
            ),
        ],
    )
}

fn recover_and_reimburse() -> Procedure {
    procedure(
        "recover-and-reimburse",
        "Recover funds and reimburse users",
        "Once the loss has stopped: try to freeze or win back what was taken, count what each \
         user lost, report the theft and decide how users are made whole.",
        &[
            "stolen-user-funds",
            "stolen-admin-credentials",
            "oracle-failure",
            "frontend-compromise",
        ],
        vec![
            step(
                "freeze-stolen-funds",
                "Ask exchanges and bridges to freeze stolen funds",
                "Send attacker addresses, transaction hashes and amounts to the security desks of \
                 every exchange and bridge the funds reached. Start as soon as funds move; do not \
                 wait for the loss count.",
                "Contacts in the extended team, war-room fund-movement table",
                "Each venue has replied with a case number or a refusal, recorded in the \
                 timeline.",
                60,
                None,
            ),
            step(
                "quantify-losses",
                "Quantify losses per user",
                "Run the loss script over pool events and balances from the block before the \
                 first attack transaction to the pause, listing each affected account's \
                 shortfall per asset.",
                "scripts/quantify-losses.ts, archive RPC node, Dune query 'harbor-positions'",
                "Per-user shortfalls add up to the pool's balance change, and a second engineer \
                 re-ran the script and got the same numbers.",
                120,
                None,
            ),
            step(
                "report-to-police",
                "Report the theft to law enforcement",
                "File a report with the cyber-crime unit, with the loss figures, addresses and \
                 timeline. Keep the case number for exchanges and insurers that ask for it.",
                "Cyber-crime unit reporting form, timeline export from Muster",
                "The case number is recorded in the timeline.",
                60,
                Some(LAW),
            ),
            step(
                "offer-bounty",
                "Offer the attacker a bounty for returning funds",
                "Send one on-chain message offering a fixed share (for example 10%) if the rest \
                 is returned to a named Safe by a deadline. Agree the wording with the security \
                 consultant and the CEO first.",
                "Foundry `cast send` with a text message as calldata, Etherscan",
                "The message transaction is confirmed, its hash is in the timeline and the \
                 deadline is in the team calendar.",
                30,
                None,
            ),
            step(
                "decide-clean-up",
                "Decide the clean-up",
                "With the loss figures and anything recovered, choose between reimbursing from \
                 the emergency fund, redeploying with a migration, or both. Write the choice and \
                 the reasons in the timeline.",
                "Loss report, treasury dashboard",
                "The decision, the amounts and the affected-user list are in the timeline and \
                 in the next internal update.",
                60,
                None,
            ),
            step(
                "reimburse-users",
                "Reimburse affected users",
                "Pay each affected account its shortfall from the emergency fund through a \
                 Merkle claim contract or a batch transfer. Publish the amounts with the public \
                 post-mortem.",
                "Safe multisig UI, scripts/reimburse.ts, Merkle claim contract",
                "Every account on the loss list has a claim or a transfer, and the fund's \
                 balance fell by exactly the total.",
                240,
                Some(FUND),
            ),
        ],
    )
}

fn secure_admin_keys() -> Procedure {
    procedure(
        "secure-admin-keys",
        "Secure the admin multisig",
        "Take a lost or compromised signer out of the admin Safe, clean up whatever that key \
         could reach, and prove the remaining signers can still act.",
        &["stolen-admin-credentials", "key-holder-unreachable"],
        vec![
            step(
                "check-admin-queue",
                "Check and cancel pending admin transactions",
                "List queued Safe transactions and timelock operations, and cancel any that no \
                 core member proposed.",
                "Safe multisig UI, scripts/timelock.ts (TimelockController `cancel`)",
                "The queue holds only transactions a core member has vouched for in the war \
                 room.",
                15,
                None,
            ),
            step(
                "pause-if-compromised",
                "Pause and revoke roles if the key is stolen",
                "Skip this when the signer is only unreachable. If the key is stolen, pause the \
                 pool and revoke the key's guardian role so it cannot unpause.",
                "Safe multisig UI, scripts/pause.ts, scripts/roles.ts",
                "`paused()` returns true and `hasRole(GUARDIAN_ROLE, <old key>)` returns false.",
                15,
                Some(PAUSE),
            ),
            step(
                "swap-signer",
                "Replace the signer",
                "Swap the lost or compromised owner for the signer's new hardware-wallet address, \
                 or for the standby signer, keeping the threshold unchanged.",
                "Safe multisig UI (Settings → Owners), hardware wallet",
                "`getOwners()` on the Safe lists the new address and not the old one, and \
                 `getThreshold()` is unchanged.",
                30,
                None,
            ),
            step(
                "rotate-secrets",
                "Rotate off-chain secrets",
                "Rotate deploy keys, relayer keys, CI tokens and cloud credentials the person or \
                 key could reach, and move relayer funds to the new relayer address.",
                "Cloud console, CI secret settings, scripts/relayer/rotate-key.ts",
                "Calls made with the old credentials fail, and the relayer signs with its new \
                 address.",
                60,
                None,
            ),
            step(
                "review-key-activity",
                "Review what the old key did",
                "Check every transaction and login linked to the old key over the last 30 days \
                 against our records.",
                "Etherscan, Safe transaction history, cloud audit logs",
                "Each action matches a known request; anything else is opened as a hacker-attack \
                 incident.",
                60,
                None,
            ),
            step(
                "confirm-quorum",
                "Confirm the quorum can sign",
                "Have every signer sign a zero-value test transaction, then update their entries \
                 in the contact list.",
                "Safe multisig UI, Muster contact list",
                "The test transaction executed with the threshold met, and each signer's entry \
                 shows today as last verified.",
                30,
                None,
            ),
        ],
    )
}

fn fail_over_rpc() -> Procedure {
    procedure(
        "fail-over-rpc",
        "Fail over RPC and shed abusive traffic",
        "Move the app, keepers and relayer to the fallback provider, hold back during a chain \
         halt, and rate-limit floods, without ever stopping liquidations entirely.",
        &[
            "rpc-provider-outage",
            "protocol-ddos",
            "chain-halt-or-reorg",
        ],
        vec![
            step(
                "confirm-fault",
                "Confirm where the fault is",
                "Compare head block and error rate of the primary provider, the fallback and our \
                 own node, and read the provider's status page.",
                "Grafana 'RPC health', `cast block-number --rpc-url <url>`, provider status page",
                "At least two sources agree on what is failing: the provider, the chain or our \
                 proxy under load.",
                10,
                None,
            ),
            step(
                "switch-app-rpc",
                "Switch the app to the fallback provider",
                "Set the app's RPC URL to the fallback and redeploy; the app reads it at \
                 start-up.",
                "Hosting dashboard environment variables `RPC_URL_PRIMARY` / `RPC_URL_FALLBACK`",
                "The browser's network tab shows calls to the fallback host, and balances match \
                 Etherscan.",
                15,
                None,
            ),
            step(
                "switch-keepers-rpc",
                "Point keepers and the relayer at the fallback",
                "Change the keeper and relayer configuration to the fallback URL and restart them \
                 one at a time, so liquidations never stop entirely.",
                "scripts/relayer/config.toml, container dashboard",
                "Keeper logs show a new block about every 12 seconds and the queue age drops \
                 under one minute.",
                15,
                None,
            ),
            step(
                "rate-limit-traffic",
                "Shed abusive traffic",
                "If the load is a flood, turn on rate limiting for the API and RPC proxy at the \
                 CDN and block the worst sources.",
                "CDN dashboard (rate-limit rules), Grafana 'Edge traffic'",
                "Requests per second fall under twice the baseline while the app's success rate \
                 stays above 99%.",
                20,
                None,
            ),
            step(
                "hold-during-halt",
                "Hold keepers during a halt or deep reorg",
                "If the chain itself halted or reorganised, stop keepers acting on unfinalised \
                 blocks and re-check liquidations and price updates in the affected range.",
                "scripts/keepers/finality-guard.ts, Etherscan",
                "No keeper transaction targets a dropped block, and the list of re-checked \
                 actions is in the timeline.",
                30,
                None,
            ),
            step(
                "switch-back",
                "Switch back when the primary recovers",
                "After the primary has been healthy for an hour, move the app and keepers back \
                 one at a time and leave the fallback configured as standby.",
                "Hosting dashboard, scripts/relayer/config.toml",
                "Grafana shows traffic on the primary with an error rate under 1%.",
                20,
                None,
            ),
        ],
    )
}

fn keep_transactions_flowing() -> Procedure {
    procedure(
        "keep-transactions-flowing",
        "Keep transactions flowing under congestion",
        "When gas spikes or calls start failing, keep liquidations and repayments going and \
         tell users what to expect. If the failures come from our code, switch to the patch \
         procedure.",
        &[
            "gas-price-spike",
            "failed-transaction-spike",
            "protocol-ddos",
        ],
        vec![
            step(
                "find-cause",
                "Find what drives the gas or the failures",
                "Check whether the spike is chain-wide (base fee) or ours (reverts on the pool); \
                 for reverts, decode the most common revert reasons.",
                "Etherscan gas tracker, Tenderly, Foundry `cast run`",
                "The timeline names the cause: chain-wide congestion, spam against the pool, or \
                 a revert in our code.",
                15,
                None,
            ),
            step(
                "raise-relayer-gas",
                "Raise gas limits in the relayer",
                "Switch the relayer to its emergency fee profile so liquidations are included \
                 first; routine jobs such as interest-accrual pokes wait.",
                "scripts/relayer/config.toml (profile `emergency`), relayer dashboard",
                "Keeper transactions are included within 2 blocks and spend stays within the \
                 emergency budget.",
                10,
                None,
            ),
            step(
                "top-up-relayer",
                "Top up the relayer wallet",
                "Move ETH from the operations Safe so the relayer can run for 24 hours at current \
                 prices.",
                "Safe multisig UI, relayer dashboard (runway)",
                "The relayer dashboard shows at least 24 hours of runway.",
                15,
                None,
            ),
            step(
                "warn-users",
                "Warn users in the app",
                "Show a banner saying transactions may be slow or costly, and that positions near \
                 liquidation should add collateral early.",
                "Hosting dashboard feature flag `BANNER`, status page",
                "The banner is visible in the app and the status page carries the same message.",
                10,
                None,
            ),
            step(
                "watch-at-risk-positions",
                "Watch positions near liquidation",
                "Run the at-risk report every 30 minutes and check that keepers reach every \
                 position whose health factor drops below 1.0.",
                "scripts/at-risk.ts, Grafana 'Positions'",
                "No position stays below a health factor of 1.0 for more than 10 minutes.",
                30,
                None,
            ),
            step(
                "restore-normal-settings",
                "Return to normal settings",
                "When base fee and revert rate have been normal for two hours, put the relayer \
                 back on its normal profile and take the banner down.",
                "scripts/relayer/config.toml, hosting dashboard",
                "The relayer configuration matches the release again and the banner is gone.",
                10,
                None,
            ),
        ],
    )
}

fn handle_oracle_failure() -> Procedure {
    procedure(
        "handle-oracle-failure",
        "Handle a stale or wrong oracle price",
        "Stop the affected markets from acting on a bad price, move them to the fallback feed, \
         and find out who was harmed while the price was wrong.",
        &["oracle-failure"],
        vec![
            step(
                "confirm-bad-price",
                "Confirm the price is wrong",
                "Compare the feed's latest answer and update time with two reference sources: \
                 the fallback feed and a large exchange's spot price.",
                "scripts/oracle-watch.ts, `cast call <feed> \"latestRoundData()\"`",
                "Deviation and staleness figures are recorded in the timeline.",
                10,
                None,
            ),
            step(
                "pause-affected-markets",
                "Pause the affected markets",
                "Pause borrowing and liquidations in every market that uses the feed; leave \
                 repayments and deposits open.",
                "Safe multisig UI, scripts/pause.ts --market <asset>",
                "`isPaused(<asset>)` is true for borrow and liquidate and false for repay.",
                10,
                Some(PAUSE),
            ),
            step(
                "switch-to-fallback-feed",
                "Switch to the fallback feed",
                "Rehearse the change on a fork, then point the markets at the fallback feed with \
                 the oracle router's `setSource`, once the fallback agrees with the reference \
                 price within 1%.",
                "anvil fork, Safe multisig UI, scripts/oracle-router.ts",
                "The router returns the fallback's price, within 1% of the reference price.",
                30,
                Some(UPGRADE),
            ),
            step(
                "check-bad-debt",
                "Check for unfair liquidations and bad debt",
                "List the liquidations and borrows made while the price was wrong and work out \
                 the gain or loss each caused. Hand any user losses to the reimbursement \
                 procedure.",
                "scripts/quantify-losses.ts --window, Dune query 'harbor-positions'",
                "The list with amounts per account is in the timeline, checked by a second \
                 engineer.",
                60,
                None,
            ),
            step(
                "resume-markets",
                "Resume the markets",
                "Unpause borrowing, then liquidations, once the price source has been stable for \
                 an hour.",
                "Safe multisig UI, scripts/pause.ts --unpause --market <asset>",
                "A borrow from the test wallet succeeds and the oracle watcher has been quiet for \
                 an hour.",
                20,
                Some(PAUSE),
            ),
        ],
    )
}

fn restore_front_end() -> Procedure {
    procedure(
        "restore-front-end",
        "Take back a compromised front end or domain",
        "Warn users, take the tampered site offline, regain the domain, redeploy a verified \
         build and help the people who signed something they should not have.",
        &["frontend-compromise", "dns-hijack"],
        vec![
            step(
                "tell-users-not-to-sign",
                "Tell users not to sign anything",
                "Post at once on X, Discord and the status page: do not connect or sign on the \
                 site until further notice, and which prompts to treat as hostile.",
                "X account, Discord #announcements, status page on a separate domain",
                "The message is pinned in Discord and live on X within 10 minutes of detection.",
                10,
                None,
            ),
            step(
                "take-site-offline",
                "Take the site offline",
                "Stop serving the app: disable the deployment, or point the CDN at a static \
                 maintenance page kept outside the main repository.",
                "Hosting dashboard, CDN dashboard",
                "A clean browser loading the domain sees only the maintenance page and gets no \
                 wallet prompt.",
                10,
                None,
            ),
            step(
                "regain-domain",
                "Regain control of the domain",
                "Log in to the registrar with the hardware-key account, restore the approved DNS \
                 records, turn on the registrar lock and rotate the account's credentials. Call \
                 the registrar's abuse line if we are locked out.",
                "Registrar console, hardware security key, scripts/dns-check.sh",
                "scripts/dns-check.sh finds every record matching the approved set from three \
                 public resolvers.",
                60,
                None,
            ),
            step(
                "redeploy-verified-build",
                "Redeploy from a verified build",
                "Rotate hosting and CI tokens, build the last release tag on a clean machine, \
                 compare the bundle hash with the release record and deploy only that.",
                "CI pipeline, `sha256sum` of the bundle, hosting dashboard",
                "The served bundle's hash equals the release record and the nightly hash check \
                 passes.",
                60,
                None,
            ),
            step(
                "find-affected-wallets",
                "Find affected wallets",
                "Search for approvals and transfers to attacker addresses during the compromise \
                 window and list the wallets that signed them.",
                "Etherscan, Dune query over Approval events for the attacker's spender address",
                "The list of affected wallets and amounts is in the war-room tables.",
                60,
                None,
            ),
            step(
                "help-revoke-approvals",
                "Help users revoke approvals",
                "Publish the exact attacker address and step-by-step revoke instructions, and \
                 contact affected wallets directly where we have a way to.",
                "Block explorer token-approval checker, Discord, X",
                "The guidance is pinned, and live approvals to the attacker address fall over \
                 the following day.",
                30,
                None,
            ),
        ],
    )
}

fn escalation() -> Vec<EscalationRule> {
    use NotifyWhen::{UponDetection, UponResolution, UponValidation};
    let rule = |category: &str, core, extended| EscalationRule {
        category: id(category),
        core,
        extended,
        // Funds may be moving: whoever is on call has five minutes to answer
        // before the backup is paged.
        page_after_minutes: (category == HACKER).then_some(5),
    };
    vec![
        // Funds may be moving: everyone on the core team at once; outside help once we know
        // it is real, so a false alarm does not spend their goodwill.
        rule(HACKER, UponDetection, UponValidation),
        // Nothing outside parties can fix; they hear how it ended.
        rule(NETWORK, UponDetection, UponResolution),
        // A confirmed bug may need reviewers and the community liaison.
        rule(PROTOCOL, UponDetection, UponValidation),
        // A tampered site needs the community liaison as soon as it is confirmed.
        rule(OPERATIONAL, UponDetection, UponValidation),
    ]
}

fn reach(email: &str, chat: Option<&str>, phone: &str) -> Reach {
    Reach {
        email: Some(email.to_owned()),
        chat: chat.map(str::to_owned),
        phone: Some(phone.to_owned()),
    }
}

fn core_team(today: NaiveDate) -> Vec<CoreMember> {
    let member = |id_: &str, name: &str, role: &str, owns: &[&str], reach: Reach| CoreMember {
        id: id(id_),
        name: name.to_owned(),
        role: role.to_owned(),
        categories: ids(owns),
        reach,
        public_key: None,
        retired_keys: Vec::new(),
        last_verified: Some(today),
    };
    vec![
        member(
            CEO,
            "Ada Example",
            "CEO",
            &[HACKER, PROTOCOL],
            reach("ada@example.com", Some("@ada (Signal)"), "+1 555 0100"),
        ),
        member(
            COO,
            "Ben Sample",
            "COO and incident lead",
            &[NETWORK, OPERATIONAL],
            reach("ben@example.com", Some("@ben (Signal)"), "+1 555 0101"),
        ),
        member(
            CFO,
            "Chloe Demo",
            "CFO and treasury signer",
            &[OPERATIONAL],
            reach("chloe@example.com", Some("@chloe (Signal)"), "+1 555 0102"),
        ),
        member(
            ENGINEER,
            "Dara Mock",
            "Protocol engineer and lead responder",
            &[HACKER, NETWORK, PROTOCOL],
            reach("dara@example.com", Some("@dara (Signal)"), "+1 555 0103"),
        ),
    ]
}

/// Weekly rotations for the two categories that page people at night. They
/// started two weeks before `today`, so someone is on call from the first start.
fn on_call(today: NaiveDate) -> Vec<OnCallRotation> {
    let rotation = |category: &str, members: &[&str]| OnCallRotation {
        category: id(category),
        members: ids(members),
        handover_day: Weekday::Monday,
        handover_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        time_zone: "Europe/London".to_owned(),
        starts_on: today - chrono::Duration::days(14),
        overrides: Vec::new(),
    };
    vec![
        rotation(HACKER, &[ENGINEER, CEO]),
        rotation(NETWORK, &[ENGINEER, COO]),
    ]
}

fn extended_team(today: NaiveDate) -> Vec<ExtendedContact> {
    let contact = |id_: &str, name: &str, role: &str, reach: Reach| ExtendedContact {
        id: id(id_),
        name: name.to_owned(),
        role: role.to_owned(),
        reach,
        last_verified: Some(today),
    };
    vec![
        contact(
            CONSULTANT,
            "Brightline Security (example)",
            "Security consultant firm: incident analysis and patch review",
            reach(
                "incident@brightline.example.org",
                Some("@brightline-ir (Telegram)"),
                "+1 555 0110",
            ),
        ),
        contact(
            LIAISON,
            "Eli Forum",
            "Community liaison: Discord and X moderation, user updates",
            reach("eli@example.com", Some("@eli (Discord)"), "+1 555 0111"),
        ),
        contact(
            POLICE,
            "Metro Cyber-Crime Unit (example)",
            "Law enforcement: theft and fraud reports",
            reach("report@cybercrime.example.org", None, "+1 555 0112"),
        ),
        contact(
            RESPONSE_GROUP,
            "Example Security Response Group",
            "Emergency security response group: volunteer responders for live exploits",
            reach(
                "help@esrg.example.org",
                Some("@esrg-911 (Telegram)"),
                "+1 555 0113",
            ),
        ),
        contact(
            EXCHANGE,
            "Example Exchange security desk",
            "Exchange and bridge security contact: freezing stolen deposits",
            reach("security@exchange.example.org", None, "+1 555 0114"),
        ),
    ]
}

fn communications() -> Vec<CommunicationRule> {
    let rule = |id_: &str,
                audience: Audience,
                timing: Timing,
                channel: &str,
                responsible: &str,
                categories: &[&str],
                optional: bool,
                notes: &str| CommunicationRule {
        id: id(id_),
        audience,
        timing,
        channel: channel.to_owned(),
        responsible: Some(id(responsible)),
        categories: ids(categories),
        optional,
        notes: notes.to_owned(),
    };
    vec![
        rule(
            "responders-war-room",
            Audience::Responders,
            Timing::UntilCompletion,
            "New private Signal group per incident, named ir-<date>-<short-name>",
            COO,
            &[],
            false,
            "Opened when the incident is declared and kept until it is completed. Only \
             responders are in it; decisions and findings also go into the timeline so nothing \
             lives only in chat.",
        ),
        rule(
            "internal-hourly-update",
            Audience::Internal,
            Timing::EveryHours { hours: 1 },
            "Slack #incident-updates and email to team@example.com",
            COO,
            &[],
            false,
            "Short and factual: current state, what changed since the last update, what is \
             next, and when the next update is due. Post even when nothing has changed.",
        ),
        rule(
            "user-updates",
            Audience::Users,
            Timing::EveryHours { hours: 4 },
            "X @harbor_example, Discord #announcements, status page",
            LIAISON,
            &[],
            false,
            "Say what users should or should not do, what is affected and when we will post \
             again. Never speculate about cause or amounts before they are confirmed, and get \
             the incident lead's approval on each message.",
        ),
        rule(
            "app-banner",
            Audience::Users,
            Timing::EveryHours { hours: 1 },
            "Maintenance page or in-app banner, mirrored on status.harbor.example.org",
            ENGINEER,
            &[HACKER, PROTOCOL],
            false,
            "Keep the banner in step with reality: which actions are paused and which still \
             work. Check it every hour and whenever a pause or unpause executes.",
        ),
        rule(
            "internal-post-mortem",
            Audience::InternalPostMortem,
            Timing::AfterResolutionDays { days: 2 },
            "Video call with the whole team, written up in the team wiki",
            COO,
            &[],
            false,
            "Blameless: summary, impact, timeline, root cause and contributing factors, what \
             went well and what did not, and action items each with an owner and a due date.",
        ),
        rule(
            "public-post-mortem",
            Audience::PublicPostMortem,
            Timing::AfterResolutionDays { days: 5 },
            "Blog post on harbor.example.org, linked from X and Discord",
            CEO,
            &[],
            true,
            "Can be skipped for an internal near-miss that never touched users or their funds; \
             decide at the internal post-mortem. When users were affected, publish it, \
             including what they lost and how they will be made whole.",
        ),
    ]
}

fn decisions() -> Vec<DecisionPolicy> {
    let policy = |id_: &str,
                  title: &str,
                  description: &str,
                  required: &[&str],
                  additional: &[&str],
                  additional_needed: u32| DecisionPolicy {
        id: id(id_),
        title: title.to_owned(),
        description: description.to_owned(),
        required: ids(required),
        additional: ids(additional),
        additional_needed,
        // Only the police report may go ahead on approvals given by phone.
        attested_allowed: id_ == LAW,
    };
    vec![
        policy(
            PAUSE,
            "Pause contract",
            "Pausing stops users from using their funds, but speed matters more than \
             consensus when funds may be draining. The CEO and COO approve; the other guardian \
             signers co-sign when they are available, and the pause does not wait for them.",
            &[CEO, COO],
            &[CFO, ENGINEER],
            0,
        ),
        policy(
            UPGRADE,
            "Upgrade contract",
            "Changes the code or critical settings (such as oracle sources) of contracts that \
             hold user funds, skipping the timelock. The lead responder who knows the patch \
             approves, together with two more admin signers who have checked the reviewed \
             build.",
            &[ENGINEER],
            &[CEO, COO, CFO],
            2,
        ),
        policy(
            FUND,
            "Access emergency fund",
            "Spends the reserve set aside to make users whole. The CEO and the CFO both \
             approve the amount and the list of recipients.",
            &[CEO, CFO],
            &[],
            0,
        ),
        policy(
            LAW,
            "Notify law enforcement",
            "Reporting a theft to the police starts a process we cannot take back and shares \
             our evidence outside the team. The CEO and COO decide together.",
            &[CEO, COO],
            &[],
            0,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::plan::validate;

    fn day() -> NaiveDate {
        let Some(day) = NaiveDate::from_ymd_opt(2026, 1, 15) else {
            panic!("2026-01-15 is a valid date");
        };
        day
    }

    #[test]
    fn starter_plan_is_structurally_valid() {
        assert_eq!(validate(&plan(day())), vec![]);
    }

    #[test]
    fn starter_plan_is_marked_as_an_example() {
        let p = plan(day());
        assert!(p.meta.is_example);
        assert!(!p.meta.name.trim().is_empty());
        assert!(!p.meta.summary.trim().is_empty());
    }

    #[test]
    fn starter_plan_meets_the_minimums() {
        let p = plan(day());
        assert!(
            p.categories.len() >= 4,
            "categories: {}",
            p.categories.len()
        );
        assert!(p.issues.len() >= 8, "issues: {}", p.issues.len());
        assert!(
            p.procedures.len() >= 5,
            "procedures: {}",
            p.procedures.len()
        );
        assert!(p.core_team.len() >= 3, "core team: {}", p.core_team.len());
        assert!(
            p.extended_team.len() >= 3,
            "extended team: {}",
            p.extended_team.len()
        );
        assert!(
            p.communications.len() >= 5,
            "communications: {}",
            p.communications.len()
        );
        assert_eq!(p.decisions.len(), 4);

        for c in &p.categories {
            assert!(
                p.escalation.iter().any(|r| r.category == c.id),
                "category {} has no escalation rule",
                c.id
            );
            assert!(
                p.core_team.iter().any(|m| m.categories.contains(&c.id)),
                "category {} has no core owner",
                c.id
            );
            assert!(
                p.issues.iter().any(|i| i.category == c.id),
                "category {} has no issue",
                c.id
            );
        }

        for i in &p.issues {
            assert!(
                p.procedures_for(&i.id).next().is_some(),
                "issue {} has no procedure",
                i.id
            );
            assert!(
                !i.description.trim().is_empty(),
                "issue {} has no description",
                i.id
            );
            assert!(
                !i.detection.signal.trim().is_empty(),
                "issue {} has no signal",
                i.id
            );
            assert!(
                !i.detection.source.trim().is_empty(),
                "issue {} has no source",
                i.id
            );
        }
        let monitoring: HashSet<_> = p.issues.iter().map(|i| i.detection.monitoring).collect();
        assert_eq!(
            monitoring.len(),
            2,
            "issues should mix manual and automated monitoring"
        );

        for proc_ in &p.procedures {
            assert!(
                proc_.steps.len() >= 5,
                "procedure {} has too few steps",
                proc_.id
            );
            assert!(
                !proc_.issues.is_empty(),
                "procedure {} answers no issue",
                proc_.id
            );
            for s in &proc_.steps {
                let at = format!("{}/{}", proc_.id, s.id);
                assert!(!s.how.trim().is_empty(), "{at}: empty how");
                assert!(!s.tools.trim().is_empty(), "{at}: empty tools");
                assert!(!s.test.trim().is_empty(), "{at}: empty test");
                assert!(
                    s.expected_minutes.is_some_and(|m| m > 0),
                    "{at}: no duration"
                );
            }
        }

        let used: HashSet<&str> = p
            .procedures
            .iter()
            .flat_map(|proc_| &proc_.steps)
            .filter_map(|s| s.decision.as_ref().map(Id::as_str))
            .collect();
        for d in [PAUSE, UPGRADE, FUND, LAW] {
            assert!(used.contains(d), "no step needs the {d} decision");
        }

        let timings: Vec<(Audience, Timing)> = p
            .communications
            .iter()
            .map(|r| (r.audience, r.timing))
            .collect();
        for wanted in [
            (Audience::Responders, Timing::UntilCompletion),
            (Audience::Internal, Timing::EveryHours { hours: 1 }),
            (Audience::Users, Timing::EveryHours { hours: 4 }),
            (
                Audience::InternalPostMortem,
                Timing::AfterResolutionDays { days: 2 },
            ),
            (
                Audience::PublicPostMortem,
                Timing::AfterResolutionDays { days: 5 },
            ),
        ] {
            assert!(
                timings.contains(&wanted),
                "missing communication {wanted:?}"
            );
        }
        assert!(p
            .communications
            .iter()
            .any(|r| r.audience == Audience::PublicPostMortem && r.optional));

        for d in &p.decisions {
            assert!(
                !d.required.is_empty(),
                "decision {} has no required approver",
                d.id
            );
            assert!(
                !d.description.trim().is_empty(),
                "decision {} has no description",
                d.id
            );
        }

        let x = &p.exercise_policy;
        assert_eq!(x.while_new_every_weeks, 4);
        assert_eq!(x.new_for_months, 6);
        assert_eq!(x.established_every_months, 6);
    }

    #[test]
    fn every_contact_was_verified_on_the_given_day() {
        let p = plan(day());
        for m in &p.core_team {
            assert_eq!(m.last_verified, Some(day()), "core member {}", m.id);
            assert_eq!(m.public_key, None, "core member {}", m.id);
        }
        for c in &p.extended_team {
            assert_eq!(c.last_verified, Some(day()), "extended contact {}", c.id);
        }
    }

    #[test]
    fn contacts_use_fictional_details() {
        let p = plan(day());
        let reaches = p
            .core_team
            .iter()
            .map(|m| &m.reach)
            .chain(p.extended_team.iter().map(|c| &c.reach));
        for r in reaches {
            if let Some(email) = &r.email {
                assert!(
                    email.ends_with("example.com") || email.ends_with("example.org"),
                    "{email} is not an example address"
                );
            }
            if let Some(phone) = &r.phone {
                assert!(
                    phone.starts_with("+1 555 01"),
                    "{phone} is not a fictional number"
                );
            }
        }
    }

    #[test]
    fn the_plan_depends_only_on_the_day() {
        assert_eq!(plan(day()), plan(day()));
    }
}
