/// Runs each guest-site's work once per run, however many of the guest's rows ask for it.
///
/// A guest's stays on a site share one ACS user, so their rows share its work: the first row to
/// ask starts it, the others (in flight together, or later in the file) await the same answer.
/// The answer is kept for the rest of the run. The work's calls count in the first row's figures.
actor SiteCoordinator {
    private let executor: SiteExecutor
    private var work: [GuestSite: Task<Result<SiteOutcome, ProvisioningFailure>, Never>] = [:]

    init(executor: SiteExecutor) {
        self.executor = executor
    }

    /// The sites whose work has started this run.
    var started: Set<GuestSite> { Set(work.keys) }

    func outcome(of plan: SitePlan) async -> Result<SiteOutcome, ProvisioningFailure> {
        let task: Task<Result<SiteOutcome, ProvisioningFailure>, Never>
        if let running = work[plan.site] {
            task = running
        } else {
            let executor = executor
            task = Task { await executor.perform(plan) }
            work[plan.site] = task
        }
        // Rows are only cancelled all together (a 401, the drain deadline), so a cancelled
        // waiter cancels the shared work rather than wait it out.
        return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }
}
