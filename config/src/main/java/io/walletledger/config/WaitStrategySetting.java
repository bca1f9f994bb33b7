package io.walletledger.config;

/**
 * {@code wallet.pipeline.wait-strategy}: how the pipeline's threads wait for work. Only {@link #BLOCKING} and
 * {@link #SLEEPING} leave the CPU to others when idle.
 */
public enum WaitStrategySetting
{
    /**
     * {@code blocking}: spin briefly, then sleep until woken. The default.
     */
    BLOCKING,

    /**
     * {@code sleeping}: spin, yield, then sleep briefly at a time.
     */
    SLEEPING,

    /**
     * {@code yielding}: spin, then yield; one busy core per pipeline thread.
     */
    YIELDING,

    /**
     * {@code busy-spin}: spin; one fully busy core per pipeline thread.
     */
    BUSY_SPIN
}
