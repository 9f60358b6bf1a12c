"""The echo benchmark's method: servers take turns going first, and each ratio is taken between
the two runs of one repeat, reported as the median of those ratios with their range."""
from tools.bench.echo_bench import Run, best_ratio, median, paired_ratios, run_order, spread


def test_each_server_goes_first_as_often_as_the_other():
    orders = [run_order(["a", "b"], rep) for rep in range(4)]
    assert orders == [["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]]
    assert run_order(["a", "b", "c"], 1) == ["b", "c", "a"]


def test_ratios_are_taken_within_a_repeat_and_only_where_both_ran():
    ours = {0: Run(100, 2.0, 10, 5, 5), 1: Run(50, 4.0, 20, 10, 10), 2: Run(90, 1.0, 9, 4, 5)}
    theirs = {0: Run(50, 1.0, 20, 10, 10), 1: Run(50, 2.0, 10, 5, 5)}      # repeat 2 failed
    assert paired_ratios(ours, theirs, "rps") == [2.0, 1.0]
    assert paired_ratios(ours, theirs, "cpu_us") == [0.5, 2.0]


def test_missing_counts_give_no_ratio():
    ours = {0: Run(1, 1, 1, 1, 1, kinstr=None)}
    theirs = {0: Run(1, 1, 1, 1, 1, kinstr=40.0)}
    assert paired_ratios(ours, theirs, "kinstr") == []
    assert spread([]) == "n/a"


def test_the_summary_is_the_median_and_the_range():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert spread([1.1, 0.9, 1.0]) == "x1.00 (0.90-1.10, 3)"


def test_best_runs_compare_the_least_disturbed_run_of_each():
    ours = {0: Run(80, 1, 12.5, 6, 6), 1: Run(100, 1, 10.0, 5, 5)}
    theirs = {0: Run(50, 1, 20.0, 10, 10), 1: Run(40, 1, 25.0, 12, 13)}
    assert best_ratio(ours, theirs, "rps") == 2.0
    assert best_ratio(ours, theirs, "cpu_us", higher_is_better=False) == 0.5
    assert best_ratio(ours, {}, "rps") is None
