"""TalentBridge domain: settings, store, encoders, scoring and the services that use them."""
