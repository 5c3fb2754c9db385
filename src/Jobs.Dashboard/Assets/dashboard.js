// What the circuit asks the browser (Blazor JS interop): its time zone, so the dashboard shows times as the operator reads them.
window.jobsDashboard = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};

// What Blazor's own reconnection dialog does and the dashboard's reconnection line (#components-reconnect-modal) cannot do
// without script: reload when the server no longer knows the circuit (it restarted), retry on request, and on return to the tab.
(() => {
    const display = document.getElementById('components-reconnect-modal');
    if (!display) {
        return;
    }

    const retry = async () => {
        try {
            if (!(await Blazor.reconnect()) && !(await Blazor.resumeCircuit())) {
                location.reload();
            }
        } catch {
            location.reload();
        }
    };

    display.addEventListener('components-reconnect-state-changed', event => {
        const state = event.detail.state;
        if (state === 'rejected') {
            location.reload();
        }
    });
    display.querySelector('.jobs-reconnect-retry')?.addEventListener('click', retry);
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && display.classList.contains('components-reconnect-failed')) {
            retry();
        }
    });
})();
