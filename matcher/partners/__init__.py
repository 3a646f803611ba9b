"""The talent partners' (headhunting firms') work: referrals and their stages, saved searches and shortlists,
enterprises' contact requests."""
