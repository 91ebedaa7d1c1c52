package dev.retry.aspectj;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * A woven method's execution as the starter's interceptor takes a call: {@link #proceed()} runs the
 * method again each time, once per attempt, which an AspectJ join point allows (a Spring proxy's
 * invocation does not, which is why the interceptor copies those). The method is the one its join
 * point's static part holds, the same instance on every call, so the interceptor finds its plan by
 * identity.
 */
class JoinPointInvocation implements MethodInvocation {

    final ProceedingJoinPoint call;

    JoinPointInvocation(ProceedingJoinPoint call) {
        this.call = call;
    }

    @Override
    public Method getMethod() {
        return ((MethodSignature) call.getStaticPart().getSignature()).getMethod();
    }

    @Override
    public Object[] getArguments() {
        return call.getArgs();
    }

    @Override
    public Object proceed() throws Throwable {
        return call.proceed();
    }

    /** The object the method runs on; {@code null} for a static method. */
    @Override
    public Object getThis() {
        return call.getThis();
    }

    @Override
    public AccessibleObject getStaticPart() {
        return getMethod();
    }

    @Override
    public String toString() {
        return "woven call of " + call.getStaticPart().getSignature().toLongString();
    }
}
