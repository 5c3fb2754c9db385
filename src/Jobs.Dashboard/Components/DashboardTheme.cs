using MudBlazor;

namespace Jobs.Dashboard.Components;

/// <summary>MudBlazor's colours for the dashboard, light and dark; dashboard.css has the matching ones of its own elements.</summary>
internal static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            // Every colour below carries small text (white on a filled chip or button, itself on an outlined one): each has at least
            // 4.5:1 against white and the page background (WCAG AA). MudBlazor's defaults (#00c853, #ff9800, #2196f3) do not.
            Secondary = "#00796b",
            Info = "#0369a1",
            Success = "#2e7d32",
            Warning = "#a34f00",
            Error = "#c62828",
            AppbarBackground = "#1f2a44",
            Background = "#f4f6fa",
        },
        PaletteDark = new PaletteDark
        {
            // No colour has 4.5:1 against both white and a dark surface; so in the dark each is light, and the text on a filled chip
            // or button is dark (ContrastText): at least 4.5:1 both ways, on the surface (#1b2130) and the page (#11151f).
            Primary = "#a5b4fc",
            PrimaryContrastText = OnLight,
            Secondary = "#80cbc4",
            SecondaryContrastText = OnLight,
            Tertiary = "#f0abfc",
            TertiaryContrastText = OnLight,
            Info = "#7dd3fc",
            InfoContrastText = OnLight,
            Success = "#86efac",
            SuccessContrastText = OnLight,
            Warning = "#fdba74",
            WarningContrastText = OnLight,
            Error = "#fca5a5",
            ErrorContrastText = OnLight,
            Dark = "#cbd5e1",
            DarkContrastText = OnLight,
            Background = "#11151f",
            BackgroundGray = "#161b27",
            Surface = "#1b2130",
            AppbarBackground = "#0b1020",
            DrawerBackground = "#1b2130",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#b6bfcc",
            TextDisabled = "#8a94a6",
            ActionDefault = "#cbd5e1",
            ActionDisabled = "#8a94a6",
            LinesDefault = "#2d3648",
            LinesInputs = "#556072",
            TableLines = "#2d3648",
            Divider = "#2d3648",
            DividerLight = "#242b3b",
            GrayDefault = "#9aa3b2",
            GrayLight = "#3a4357",
            GrayLighter = "#2d3648",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };

    private const string OnLight = "#11151f";
}
