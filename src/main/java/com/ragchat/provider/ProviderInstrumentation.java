package com.ragchat.provider;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.function.Consumer;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Retriever;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Puts every {@link AnswerModel} and {@link Retriever} bean behind the
 * {@link ProviderCallGuard}, whoever wrote it (the adapters here, the mock, the
 * extractive answerer, the local knowledge base), so each call is timed, counted, retried
 * and circuit-broken the same way without any change in their code.
 * <p>
 * The proxy subclasses the bean's class when it can, so a bean injected by its concrete
 * type still is one; a final class gets an interface proxy.
 */
final class ProviderInstrumentation implements BeanPostProcessor {

	private final ObjectProvider<ProviderCallGuard> guard;

	ProviderInstrumentation(ObjectProvider<ProviderCallGuard> guard) {
		this.guard = guard;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof AnswerModel) && !(bean instanceof Retriever) || isInstrumented(bean)) {
			return bean;
		}
		ProxyFactory factory = new ProxyFactory(bean);
		Class<?> type = bean.getClass();
		boolean subclassable = !Modifier.isFinal(type.getModifiers()) && !type.isRecord() && !type.isSynthetic()
				&& !type.isAnonymousClass() && !type.isHidden() && !hasFinalPortMethod(type);
		factory.setProxyTargetClass(subclassable);
		factory.addAdvice(new GuardInterceptor(this.guard));
		return factory.getProxy();
	}

	/**
	 * A subclass proxy cannot intercept a final method: the call would run on the proxy's
	 * own, empty fields.
	 */
	private static boolean hasFinalPortMethod(Class<?> type) {
		for (Class<?> port : new Class<?>[] { AnswerModel.class, Retriever.class }) {
			if (!port.isAssignableFrom(type)) {
				continue;
			}
			for (Method method : port.getMethods()) {
				Method implementation = ReflectionUtils.findMethod(type, method.getName(), method.getParameterTypes());
				if (implementation != null && Modifier.isFinal(implementation.getModifiers())) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isInstrumented(Object bean) {
		// No marker interface: a proxy in the bean's package could not implement a
		// package-private type of this one.
		return bean instanceof Advised advised
				&& Arrays.stream(advised.getAdvisors()).anyMatch((a) -> a.getAdvice() instanceof GuardInterceptor);
	}

	private static final class GuardInterceptor implements MethodInterceptor {

		private final ObjectProvider<ProviderCallGuard> guardProvider;

		private volatile @Nullable ProviderCallGuard guard;

		GuardInterceptor(ObjectProvider<ProviderCallGuard> guardProvider) {
			this.guardProvider = guardProvider;
		}

		@Override
		@SuppressWarnings("unchecked")
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Method method = invocation.getMethod();
			Object[] args = invocation.getArguments();
			Object target = invocation.getThis();
			if (target instanceof AnswerModel model) {
				if (method.getName().equals("generate") && args.length == 3
						&& args[0] instanceof GenerationRequest request
						&& args[2] instanceof Cancellation cancellation) {
					return guard().generate(model, request, (Consumer<String>) args[1], cancellation);
				}
				if (method.getName().equals("complete") && args.length == 2
						&& args[0] instanceof GenerationRequest request
						&& args[1] instanceof Cancellation cancellation) {
					return guard().generate(model, request, null, cancellation);
				}
			}
			if (target instanceof Retriever retriever && method.getName().equals("retrieve") && args.length == 3
					&& args[0] instanceof String query && args[1] instanceof Integer limit
					&& args[2] instanceof Cancellation cancellation) {
				return guard().retrieve(retriever, query, limit, cancellation);
			}
			return invocation.proceed();
		}

		private ProviderCallGuard guard() {
			ProviderCallGuard current = this.guard;
			if (current == null) {
				current = this.guardProvider.getObject();
				this.guard = current;
			}
			return current;
		}

	}

}
