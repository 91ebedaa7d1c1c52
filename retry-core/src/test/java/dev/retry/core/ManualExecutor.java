package dev.retry.core;

import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor that runs nothing by itself: the test takes each submitted task and decides when,
 * and on which thread, it runs. An attempt that is never run is a slow attempt.
 */
final class ManualExecutor implements Executor {

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicInteger submitted = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
        submitted.incrementAndGet();
        tasks.add(task);
    }

    /**
     * The next task submitted, waiting for it when another thread (a caller) has yet to submit it.
     * The wait ends the moment the task arrives; its limit only fails a test that would hang.
     */
    Runnable next() throws InterruptedException {
        Runnable task = tasks.poll(10, TimeUnit.SECONDS);
        if (task == null) {
            fail("no task was submitted to the executor");
        }
        return task;
    }

    /** Tasks submitted and not yet taken. */
    int pending() {
        return tasks.size();
    }

    /** Tasks ever submitted. */
    int submitted() {
        return submitted.get();
    }

    /** Runs {@code task} on a new thread, as a real executor would. */
    static Thread runOnNewThread(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
