//! proptest strategies and a driver shared by the property tests.
