package dev.weft.scheduler.planning;

import org.springframework.stereotype.Component;

/** One control-plane node: it always leads, in epoch 0, and nothing can take over from it. */
@Component
class SingleNodeLeadership implements Leadership {

    @Override
    public boolean leading() {
        return true;
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public void fence(long epoch) {}
}
