"""What a rep reads about a finished call: the review, its transcript, the HTML report, the terminal summary."""
