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

// The colour theme: the operator's choice, kept in localStorage, wins over the browser's prefers-color-scheme. Set on <html> at
// once, so that what shows before the circuit is live is in the right theme already; the shell reads it here and tells MudBlazor.
window.jobsDashboardTheme = (() => {
    const key = 'jobs-dashboard-theme';
    const media = matchMedia('(prefers-color-scheme: dark)');
    const stored = () => {
        try {
            const value = localStorage.getItem(key);
            return value === 'dark' || value === 'light' ? value : null;
        } catch {
            return null; // Storage refused (a privacy mode): the browser's preference decides.
        }
    };
    const current = () => stored() ?? (media.matches ? 'dark' : 'light');
    const apply = () => {
        document.documentElement.dataset.jobsTheme = current();
    };
    apply();

    return {
        /** 'dark' or 'light', and whether it was chosen here rather than taken from the browser. */
        read: () => ({ dark: current() === 'dark', chosen: stored() !== null }),
        choose: theme => {
            try {
                localStorage.setItem(key, theme);
            } catch {
                // Not kept past this page; it still applies now.
            }
            document.documentElement.dataset.jobsTheme = theme;
        },
        /** Calls the shell back when the browser's preference changes and no choice overrides it. */
        watch: shell => media.addEventListener('change', () => {
            if (stored() === null) {
                apply();
                shell.invokeMethodAsync('BrowserThemeChanged', media.matches);
            }
        }),
    };
})();
