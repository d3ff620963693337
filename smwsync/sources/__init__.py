"""Where the form's responses come from: a CSV download or the live Google Sheet."""
