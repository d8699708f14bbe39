"""The detector's model layer: what a rep's sentence means, beside the rulebook's literal patterns."""
