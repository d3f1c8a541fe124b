//! The pallets whose weights this runtime benchmarks (`frame-omni-bencher` or
//! `provenance-node benchmark pallet`, with the `runtime-benchmarks` feature).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_multisig, Multisig]
	[pallet_proxy, Proxy]
	[pallet_treasury, Treasury]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_datasets, Datasets]
	[pallet_checkpoints, Checkpoints]
	[pallet_attestations, Attestations]
	[pallet_evaluations, Evaluations]
	[pallet_licenses, Licenses]
	[pallet_royalties, Royalties]
	[pallet_validator_set, ValidatorSet]
);
